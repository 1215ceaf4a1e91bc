//! The signature of a delivery: `X-Audarma-Signature: sha256=<hex HMAC-SHA256 of the body>`, keyed by
//! the webhook's secret. A receiver recomputes it over the bytes it received and compares in constant
//! time ([`verify`] does both).

use crate::config::Secret;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Audarma-Signature";

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &Secret) -> HmacSha256 {
    // HMAC takes a key of any length.
    match HmacSha256::new_from_slice(secret.bytes()) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    }
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`: the signature header's value.
pub fn signature(secret: &Secret, body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(body);
    format!("sha256={}", hex::encode(m.finalize().into_bytes()))
}

/// Whether `header` is the signature of `body` under `secret` (compared in constant time).
pub fn verify(secret: &Secret, body: &[u8], header: &str) -> bool {
    let Some(sent) = header.trim().strip_prefix("sha256=").and_then(|h| hex::decode(h).ok()) else {
        return false;
    };
    let mut m = mac(secret);
    m.update(body);
    m.verify_slice(&sent).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_rfc_4231s_hmac_sha256() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = signature(&Secret::new("Jefe"), b"what do ya want for nothing?");
        assert_eq!(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn verify_accepts_the_signature_only_for_that_body_and_secret() {
        let s = Secret::new("s3cr3t");
        let body = br#"{"event":"approved"}"#;
        let sig = signature(&s, body);
        assert!(verify(&s, body, &sig));
        assert!(!verify(&s, br#"{"event":"approved" }"#, &sig));
        assert!(!verify(&Secret::new("other"), body, &sig));
        assert!(!verify(&s, body, sig.trim_start_matches("sha256=")));
        assert!(!verify(&s, body, "sha256=zz"));
    }
}
