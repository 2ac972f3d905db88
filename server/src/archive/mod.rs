//! The archive of raw chain responses: a local folder (`file://DIR`, the default) or an
//! S3-compatible bucket (`s3://bucket/prefix`). Keys are `/`-separated relative paths.

mod document;
mod local;
mod s3;

pub use document::{document, timestamped};
pub use local::LocalArchive;
pub use s3::S3Archive;

use bytes::Bytes;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("ARCHIVE_URL {0:?} must be file://DIR or s3://bucket/prefix")]
    BadUrl(String),
    #[error("archive key {0:?} is not a relative path of plain segments")]
    BadKey(String),
    #[error("archive {location}: {message}")]
    Io { location: String, message: String },
}

#[derive(Clone)]
pub enum Archive {
    Local(LocalArchive),
    S3(S3Archive),
}

impl Archive {
    /// Opens the archive named by `url`. For S3, `endpoint` overrides AWS's (path-style then).
    pub async fn open(url: &str, s3_endpoint: Option<&str>) -> Result<Self, ArchiveError> {
        if let Some(dir) = url.strip_prefix("file://") {
            if dir.is_empty() {
                return Err(ArchiveError::BadUrl(url.to_string()));
            }
            return Ok(Archive::Local(LocalArchive::new(dir)));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(ArchiveError::BadUrl(url.to_string()));
            }
            return Ok(Archive::S3(
                S3Archive::new(bucket, prefix, s3_endpoint).await,
            ));
        }
        Err(ArchiveError::BadUrl(url.to_string()))
    }

    /// Where the archive is, for logs and the system page (never credentials).
    pub fn describe(&self) -> String {
        match self {
            Archive::Local(a) => a.describe(),
            Archive::S3(a) => a.describe(),
        }
    }

    pub async fn put(&self, key: &str, body: Bytes) -> Result<(), ArchiveError> {
        check_key(key)?;
        match self {
            Archive::Local(a) => a.put(key, body).await,
            Archive::S3(a) => a.put(key, body).await,
        }
    }

    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, ArchiveError> {
        check_key(key)?;
        match self {
            Archive::Local(a) => a.get(key).await,
            Archive::S3(a) => a.get(key).await,
        }
    }

    /// Keys under `prefix` (a folder such as `cosmoshub/validators/`), sorted.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, ArchiveError> {
        let mut keys = match self {
            Archive::Local(a) => a.list(prefix).await?,
            Archive::S3(a) => a.list(prefix).await?,
        };
        keys.sort();
        Ok(keys)
    }
}

fn check_key(key: &str) -> Result<(), ArchiveError> {
    let ok = !key.is_empty()
        && key.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if ok {
        Ok(())
    } else {
        Err(ArchiveError::BadKey(key.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_must_be_plain_relative_paths() {
        assert!(check_key("cosmoshub/validators/latest.json").is_ok());
        for bad in ["", "/abs", "a/../b", "a//b", "a/./b", "a b", "a\\b"] {
            assert!(check_key(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[tokio::test]
    async fn urls_are_checked() {
        assert!(matches!(
            Archive::open("ftp://x", None).await,
            Err(ArchiveError::BadUrl(_))
        ));
        assert!(matches!(
            Archive::open("file://", None).await,
            Err(ArchiveError::BadUrl(_))
        ));
        assert!(matches!(
            Archive::open("s3://", None).await,
            Err(ArchiveError::BadUrl(_))
        ));
    }

    #[tokio::test]
    async fn local_archive_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(&format!("file://{}", dir.path().display()), None)
            .await
            .unwrap();
        archive
            .put("hub/validators/a.json", Bytes::from_static(b"{}"))
            .await
            .unwrap();
        archive
            .put("hub/validators/b.json", Bytes::from_static(b"[]"))
            .await
            .unwrap();
        archive
            .put("other/x.json", Bytes::from_static(b"1"))
            .await
            .unwrap();
        assert_eq!(
            archive.list("hub/validators/").await.unwrap(),
            vec!["hub/validators/a.json", "hub/validators/b.json"]
        );
        assert_eq!(
            archive.get("hub/validators/b.json").await.unwrap().unwrap(),
            Bytes::from_static(b"[]")
        );
        assert_eq!(archive.get("hub/validators/none.json").await.unwrap(), None);
    }
}
