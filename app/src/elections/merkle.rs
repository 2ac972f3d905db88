//! Merkle trees as RFC 6962 (Certificate Transparency) defines them: a leaf is
//! SHA-256(0x00 ‖ data), an inner node SHA-256(0x01 ‖ left ‖ right), a tree of n leaves splits
//! at the largest power of two below n, and the empty tree's root is SHA-256 of nothing. The
//! snapshot's root and the counted ballots' root are such trees, so a voter can check an
//! inclusion proof with any RFC 6962 implementation.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two below `n` (n ≥ 2).
fn split(n: usize) -> usize {
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The root of a tree whose leaves are already hashed with [`leaf_hash`].
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The audit path of leaf `index` (0-based), nearest sibling first; `None` past the last leaf.
pub fn proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    collect_path(leaves, index, &mut path);
    Some(path)
}

fn collect_path(leaves: &[Hash], index: usize, path: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split(leaves.len());
    if index < k {
        collect_path(&leaves[..k], index, path);
        path.push(root(&leaves[k..]));
    } else {
        collect_path(&leaves[k..], index - k, path);
        path.push(root(&leaves[..k]));
    }
}

/// Checks an audit path (RFC 9162 §2.1.3.2): whether `leaf` is leaf `index` of the tree of
/// `size` leaves whose root is `root`.
pub fn verify(leaf: &Hash, index: u64, size: u64, path: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf;
    for p in path {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    sn == 0 && r == *root
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Certificate Transparency reference data (RFC 6962 test vectors, as the C++ and Go
    /// logs test themselves): 8 leaves, the root of each prefix of them, two audit paths.
    const LEAVES: [&str; 8] = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ];
    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    fn leaves() -> Vec<Hash> {
        LEAVES
            .iter()
            .map(|l| leaf_hash(&hex::decode(l).unwrap()))
            .collect()
    }

    fn h(text: &str) -> Hash {
        hex::decode(text).unwrap().try_into().unwrap()
    }

    #[test]
    fn roots_match_the_rfc_6962_reference() {
        assert_eq!(
            hex::encode(root(&[])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let leaves = leaves();
        for n in 1..=8 {
            assert_eq!(hex::encode(root(&leaves[..n])), ROOTS[n - 1], "size {n}");
        }
    }

    #[test]
    fn audit_paths_match_the_reference_and_verify() {
        let leaves = leaves();
        let first = proof(&leaves, 0).unwrap();
        assert_eq!(
            first,
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ]
        );
        let sixth = proof(&leaves, 5).unwrap();
        assert_eq!(
            sixth,
            vec![
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ]
        );
        // Every leaf of every size up to 37 proves, and nothing else does.
        let many: Vec<Hash> = (0..37u8)
            .map(|i| leaf_hash(&[i, i.wrapping_mul(7)]))
            .collect();
        for size in 1..=many.len() {
            let tree = &many[..size];
            let top = root(tree);
            for i in 0..size {
                let path = proof(tree, i).unwrap();
                assert!(
                    verify(&tree[i], i as u64, size as u64, &path, &top),
                    "{i}/{size}"
                );
                assert!(
                    !verify(&tree[(i + 1) % size], i as u64, size as u64, &path, &top) || size == 1
                );
                let mut other = top;
                other[0] ^= 1;
                assert!(!verify(&tree[i], i as u64, size as u64, &path, &other));
                assert!(
                    !verify(&tree[i], size as u64, size as u64, &path, &top),
                    "an index past the end"
                );
            }
        }
        assert_eq!(proof(&many, 37), None);
    }
}
