// An OpenID Connect provider that Guichet did not write: panva's oidc-provider (certified by the
// OpenID Foundation), started on loopback by tests/test_oidc.py to prove that Guichet's relying
// party speaks the protocol, not merely its own dialect of it.
//
// Everything that speaks the protocol (discovery, authorization, token endpoint, client
// authentication, PKCE, ID tokens and their signature, JWKS) is oidc-provider's own. Only the
// interaction pages are written here, because oidc-provider leaves them to the application: a
// login form (the account id is the person's NISS, which becomes `sub`) that records the level
// asked for in `acr_values` as the login's `acr`, and a consent form.
//
// Environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI. Prints "ready <issuer>" when it listens.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const LEVELS = ['urn:be:fedict:iam:fas:Level500', 'urn:be:fedict:iam:fas:Level450'];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }), kid: `test-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256',
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  acrValues: LEVELS,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 400, 'Unknown interaction', '');
  const { prompt, params, session } = details;

  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') {
      return page(res, 200, 'Sign in', `
        <form method="post" action="/interaction/${uid}/login">
          <label for="login">Account (NISS)</label> <input id="login" name="login" autocomplete="username">
          <button type="submit">Sign in</button>
        </form>
        <form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`);
    }
    return page(res, 200, 'Authorize', `
      <p>${escape(params.client_id)} asks for: ${escape(params.scope)}</p>
      <form method="post" action="/interaction/${uid}/consent"><button type="submit">Continue</button></form>
      <form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`);
  }
  if (req.method !== 'POST') return page(res, 405, 'Method not allowed', '');

  if (action === 'login' && prompt.name === 'login') {
    const form = await readForm(req);
    const accountId = (form.get('login') || '').trim();
    if (!accountId) return page(res, 422, 'Sign in', '<p>Enter an account.</p>');
    const asked = String(params.acr_values || '').split(' ');
    const acr = asked.find((level) => LEVELS.includes(level)) || LEVELS[0];
    return provider.interactionFinished(req, res, { login: { accountId, acr, amr: ['pwd'] } },
      { mergeWithLastSubmission: false });
  }
  if (action === 'consent' && prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false });
  }
  return page(res, 400, 'Unexpected step', '');
}

const protocol = provider.callback();
const server = createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|consent|abort))?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return protocol(req, res);
  return interaction(req, res, match[1], match[2]).catch((error) => {
    page(res, 400, 'Interaction failed', `<p>${escape(error.message)}</p>`);
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
