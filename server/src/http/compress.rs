//! A body kept in every encoding a browser may ask for, each compressed once on first use.
//! Cached pages and the site's files are sent from these, so no request pays for compression
//! that an earlier one already did.

use axum::http::{header, HeaderMap, HeaderValue};
use bytes::Bytes;
use std::{
    io::Write,
    sync::{Arc, OnceLock},
};

/// A `Content-Encoding` Stakeboard sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// Compression levels: gzip 0–9, Brotli quality 0–11.
#[derive(Debug, Clone, Copy)]
pub struct Levels {
    gzip: u32,
    brotli: u32,
}

impl Encoding {
    /// The highest levels, for files compressed once per build.
    pub fn best_levels() -> Levels {
        Levels {
            gzip: 9,
            brotli: 11,
        }
    }

    /// Levels that take about a millisecond for a 100 KB page, for pages compressed once per
    /// data version.
    pub fn page_levels() -> Levels {
        Levels { gzip: 6, brotli: 5 }
    }

    /// The smallest encoding the request's `Accept-Encoding` allows (`q=0` refuses one).
    pub fn preferred(headers: &HeaderMap) -> Self {
        let accepted = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';').map(str::trim);
                    let coding = parts.next().unwrap_or_default();
                    let refused = parts.any(|p| {
                        p.strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                            .is_some_and(|q| q <= 0.0)
                    });
                    coding.eq_ignore_ascii_case(name) && !refused
                })
        };
        if accepted("br") {
            Encoding::Brotli
        } else if accepted("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    /// The `Content-Encoding` value; none for identity.
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }
}

#[derive(Clone)]
pub struct Variants(Arc<Inner>);

struct Inner {
    identity: Bytes,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
    levels: Levels,
    /// Set once a background compression of every encoding has been started.
    warming: std::sync::atomic::AtomicBool,
}

impl Variants {
    pub fn new(identity: Bytes, levels: Levels) -> Self {
        Self(Arc::new(Inner {
            identity,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            levels,
            warming: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// The body in `encoding`; the first call per encoding compresses (CPU-bound: call it off
    /// the async threads for large bodies at high levels).
    pub fn get(&self, encoding: Encoding) -> Bytes {
        let inner = &self.0;
        match encoding {
            Encoding::Identity => inner.identity.clone(),
            Encoding::Gzip => inner
                .gzip
                .get_or_init(|| gzip(&inner.identity, inner.levels.gzip))
                .clone(),
            Encoding::Brotli => inner
                .brotli
                .get_or_init(|| brotli(&inner.identity, inner.levels.brotli))
                .clone(),
        }
    }

    /// The body in `encoding` if it has been made already.
    pub fn ready(&self, encoding: Encoding) -> Option<Bytes> {
        match encoding {
            Encoding::Identity => Some(self.0.identity.clone()),
            Encoding::Gzip => self.0.gzip.get().cloned(),
            Encoding::Brotli => self.0.brotli.get().cloned(),
        }
    }

    /// Starts compressing every encoding on a blocking thread, once; later calls do nothing.
    pub fn warm_in_background(&self) {
        use std::sync::atomic::Ordering;
        if !self.0.warming.swap(true, Ordering::SeqCst) {
            let variants = self.clone();
            tokio::task::spawn_blocking(move || variants.warm());
        }
    }

    /// Compresses every encoding now.
    pub fn warm(&self) {
        self.get(Encoding::Gzip);
        self.get(Encoding::Brotli);
    }

    /// The bytes held: the body and the encodings made so far.
    pub fn size(&self) -> usize {
        let inner = &self.0;
        inner.identity.len()
            + inner.gzip.get().map_or(0, Bytes::len)
            + inner.brotli.get().map_or(0, Bytes::len)
    }
}

fn gzip(body: &[u8], level: u32) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::new(level),
    );
    encoder.write_all(body).expect("writing to memory");
    Bytes::from(encoder.finish().expect("writing to memory"))
}

fn brotli(body: &[u8], quality: u32) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 4);
    {
        // 22: the encoder's default window (4 MiB), which every browser's decoder takes.
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        writer.write_all(body).expect("writing to memory");
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn the_smallest_accepted_encoding_is_chosen() {
        assert_eq!(Encoding::preferred(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(
            Encoding::preferred(&accepting("gzip, deflate")),
            Encoding::Gzip
        );
        assert_eq!(
            Encoding::preferred(&accepting("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(
            Encoding::preferred(&accepting("br;q=0, GZIP;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(
            Encoding::preferred(&accepting("identity")),
            Encoding::Identity
        );
    }

    #[test]
    fn every_encoding_decodes_to_the_body() {
        let body = Bytes::from("<tr><td>validator</td></tr>".repeat(500));
        let variants = Variants::new(body.clone(), Encoding::page_levels());
        let bare = variants.size();
        assert_eq!(
            bare,
            body.len(),
            "nothing is compressed before it is asked for"
        );
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&variants.get(Encoding::Gzip)[..])
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, body);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&variants.get(Encoding::Brotli)[..], 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        assert_eq!(unbrotlied, body);
        assert!(variants.get(Encoding::Brotli).len() < body.len() / 10);
        assert_eq!(variants.get(Encoding::Identity), body);
        assert!(variants.size() > body.len());
    }
}
