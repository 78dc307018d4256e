import { stopTestAzurite } from './azurite';

export default stopTestAzurite;
