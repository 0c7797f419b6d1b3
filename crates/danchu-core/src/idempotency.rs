//! Safe retries of the API's writes: a client sends an `Idempotency-Key` header with a
//! POST or PUT; the first request's result is stored with the key, and a retry with the
//! same key and the same request gets that result again instead of writing twice. The same
//! key with a different request is refused (422), so a key cannot be reused by mistake.

use sha2::{Digest, Sha256};

/// The longest key accepted (UUIDs and ULIDs fit several times over).
pub const MAX_KEY_LEN: usize = 255;

/// The key as sent, or why it is refused: 1 to 255 visible ASCII characters.
pub fn key(raw: &str) -> Result<&str, &'static str> {
    if raw.is_empty() || raw.len() > MAX_KEY_LEN || !raw.bytes().all(|b| b.is_ascii_graphic()) {
        Err("Idempotency-Key phải gồm 1–255 ký tự ASCII nhìn thấy được.")
    } else {
        Ok(raw)
    }
}

/// What makes two requests "the same" for a key: the method, the path with its query and
/// the body, hashed (the stored record keeps the hash, never the body).
pub fn fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(path_and_query.as_bytes());
    h.update([0]);
    h.update(body);
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        assert_eq!(
            key("7f3c2a9e-4b1d-4f0e-9a1b-2c3d4e5f6a7b"),
            Ok("7f3c2a9e-4b1d-4f0e-9a1b-2c3d4e5f6a7b")
        );
        assert!(key(&"k".repeat(MAX_KEY_LEN)).is_ok());
        for bad in ["", "a b", "khóa", "a\nb", &"k".repeat(MAX_KEY_LEN + 1)] {
            assert!(key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_fingerprint_tells_requests_apart() {
        let a = fingerprint("POST", "/api/v1/x", b"{\"a\":1}");
        assert_eq!(a, fingerprint("POST", "/api/v1/x", b"{\"a\":1}"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, fingerprint("PUT", "/api/v1/x", b"{\"a\":1}"));
        assert_ne!(a, fingerprint("POST", "/api/v1/y", b"{\"a\":1}"));
        assert_ne!(a, fingerprint("POST", "/api/v1/x", b"{\"a\":2}"));
        // The separator keeps the parts from running into each other.
        assert_ne!(
            fingerprint("POST", "/a", b"b"),
            fingerprint("POST", "/ab", b"")
        );
    }
}
