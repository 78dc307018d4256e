import { verifyJwt } from '@hubbub/signalr-emulator';

import { signJwt } from './jwt';
import { mintConnectionInfo } from './signalr-connection-info';

const KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH';
const env = {
  AzureSignalRConnectionString: `Endpoint=https://example.service.signalr.net;AccessKey=${KEY};Version=1.0;`,
  Other: `Endpoint=http://localhost;Port=9999;AccessKey=other-key;ClientEndpoint=http://clients.example:8080;Version=1.0;`,
};

describe('signalRConnectionInfo token', () => {
  it('copies listed idToken claims, renaming reserved ones to asrs.u.*', () => {
    const idToken = signJwt({ sub: 's1', email: 'a@example.com', aud: 'my-app', role: 'x' }, 'idp-key');
    const info = mintConnectionInfo(
      {
        hubName: 'Chat',
        userId: '{headers.x-user}',
        idToken: '{headers.authorization}',
        claimTypeList: ['email', 'aud'],
      },
      { headers: { authorization: `Bearer ${idToken}`, 'x-user': 'u1' } },
      env,
      Date.UTC(2030, 0, 1),
    );
    expect(info.url).toBe('https://example.service.signalr.net/client/?hub=chat');
    const verified = verifyJwt(info.accessToken, KEY, { ignoreLifetime: true });
    if (!verified.ok) throw new Error(verified.reason);
    expect(verified.payload).toEqual({
      email: 'a@example.com',
      'asrs.u.aud': 'my-app',
      'asrs.s.uid': 'u1',
      aud: 'https://example.service.signalr.net/client/?hub=chat',
      iat: Date.UTC(2030, 0, 1) / 1000,
      nbf: Date.UTC(2030, 0, 1) / 1000,
      exp: Date.UTC(2030, 0, 1) / 1000 + 3600,
    });
  });

  it('uses the named connection setting and its ClientEndpoint, with the audience on the service host without port', () => {
    const info = mintConnectionInfo({ hubName: 'chat', connectionStringSetting: 'Other' }, {}, env);
    expect(info.url).toBe('http://clients.example:8080/client/?hub=chat');
    const verified = verifyJwt(info.accessToken, 'other-key');
    expect(verified.ok && verified.payload.aud).toBe('http://localhost/client/?hub=chat');
  });

  it('names a missing setting without printing any connection string', () => {
    expect(() => mintConnectionInfo({ hubName: 'chat', connectionStringSetting: 'Missing' }, {}, env)).toThrow(
      "The SignalR Service connection string setting 'Missing' is not set",
    );
    expect(() =>
      mintConnectionInfo({ hubName: 'chat' }, {}, { AzureSignalRConnectionString: 'Endpoint=http://x' }),
    ).toThrow(/setting 'AzureSignalRConnectionString' is invalid: Connection string is missing AccessKey/);
  });
});
