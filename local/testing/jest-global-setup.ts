import { startTestAzurite } from './azurite';

export default startTestAzurite;
