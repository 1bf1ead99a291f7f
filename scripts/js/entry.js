// The part of age-encryption (typage) the intake's pages use: encryption to X25519 recipients.
// Bundled by ../build_age_js.sh into src/testament/intake/static/age.bundle.js as the global
// `testamentAge`, so that the pages load it from the intake itself (no CDN, CSP script-src 'self').
export { Encrypter } from "age-encryption";
