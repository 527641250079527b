//! JOSE: compact JWS parsing, header rules, JWKS key selection, signature
//! verification (RS*, PS*, ES256, ES384, EdDSA) and JWT claim checks for
//! software statements and signed registration requests (JWT-*).
