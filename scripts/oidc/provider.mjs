// The test identity provider: npm's oidc-provider, configured from provider.json beside
// this file. Started by scripts/test.sh; prints its issuer URL on the first line of
// stdout once it listens. Usage: node provider.mjs NODE_MODULES_DIR [PORT]
// (the package is installed into .test-env/, outside the repository's files).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.argv[2];
const { default: Provider } = await import(
  pathToFileURL(join(modules, 'oidc-provider', 'lib', 'index.js')).href
);

const config = JSON.parse(readFileSync(new URL('./provider.json', import.meta.url), 'utf8'));
const port = Number(process.argv[3] || 0);
const claimsOf = (login) => {
  if (login.startsWith('hsa:')) return { [config.staff_claim]: login.slice(4) };
  if (login.startsWith('pnr:')) return { [config.patient_claim]: login.slice(4) };
  return {};
};

const server = (await import('node:http')).createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [config.client],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      profile: ['name'],
      hsa: [config.staff_claim],
      pnr: [config.patient_claim],
    },
    scopes: ['openid', 'profile', 'hsa', 'pnr'],
    // The claims go in the ID token, as Sweden's identity providers put them.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, name: id, ...claimsOf(id) }),
    }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['trappa-test-provider-cookie-key'] },
  });
  provider.proxy = false;
  server.on('request', provider.callback());
  console.log(issuer);
});
