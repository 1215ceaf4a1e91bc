//! A small deterministic PRNG (SplitMix64) and a hash to key it per request.

pub struct SplitMix(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl SplitMix {
    /// The generator for the `n`-th request with body hash `key` under `seed`.
    pub fn for_request(seed: u64, key: u64, n: u64) -> SplitMix {
        SplitMix(mix(mix(seed ^ 0x9e37_79b9_7f4a_7c15) ^ key).wrapping_add(mix(n)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p` (always draws, so the sequence does not depend on `p`).
    pub fn chance(&mut self, p: f64) -> bool {
        self.next_f64() < p
    }
}

/// FNV-1a over `a` then `b`.
pub fn fnv1a(a: &[u8], b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in a.iter().chain([0xff].iter()).chain(b) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_roughly_uniform() {
        let mut a = SplitMix::for_request(42, 7, 1);
        let mut b = SplitMix::for_request(42, 7, 1);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_ne!(SplitMix::for_request(42, 7, 1).next_u64(), SplitMix::for_request(42, 7, 2).next_u64());
        assert_ne!(SplitMix::for_request(42, 7, 1).next_u64(), SplitMix::for_request(43, 7, 1).next_u64());
        let hits = (0..10_000).filter(|_| a.chance(0.25)).count();
        assert!((2_200..2_800).contains(&hits), "{hits}");
        assert!(!SplitMix::for_request(1, 2, 3).chance(0.0));
        assert!(SplitMix::for_request(1, 2, 3).chance(1.0));
    }
}
