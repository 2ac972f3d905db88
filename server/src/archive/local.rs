//! The archive as a local folder. Writes go to a temporary file first, so a reader never sees
//! half an object.

use super::ArchiveError;
use bytes::Bytes;
use std::path::{Path, PathBuf};

#[derive(Clone)]
pub struct LocalArchive {
    root: PathBuf,
}

impl LocalArchive {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn describe(&self) -> String {
        format!("file://{}", self.root.display())
    }

    fn io(&self, e: std::io::Error) -> ArchiveError {
        ArchiveError::Io {
            location: self.describe(),
            message: e.to_string(),
        }
    }

    pub async fn put(&self, key: &str, body: Bytes) -> Result<(), ArchiveError> {
        let path = self.root.join(key);
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| self.io(e))?;
        let tmp = dir.join(format!(
            ".{}.tmp",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("object")
        ));
        tokio::fs::write(&tmp, &body)
            .await
            .map_err(|e| self.io(e))?;
        tokio::fs::rename(&tmp, &path).await.map_err(|e| self.io(e))
    }

    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, ArchiveError> {
        match tokio::fs::read(self.root.join(key)).await {
            Ok(body) => Ok(Some(Bytes::from(body))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io(e)),
        }
    }

    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, ArchiveError> {
        let root = self.root.clone();
        let prefix = prefix.to_string();
        tokio::task::spawn_blocking(move || {
            let mut keys = Vec::new();
            walk(&root, &root, &mut keys)?;
            Ok::<_, std::io::Error>(
                keys.into_iter()
                    .filter(|k| k.starts_with(&prefix))
                    .collect(),
            )
        })
        .await
        .expect("listing task does not panic")
        .map_err(|e| self.io(e))
    }
}

fn walk(root: &Path, dir: &Path, keys: &mut Vec<String>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, keys)?;
        } else if !path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(".")
            .starts_with('.')
        {
            if let Ok(rel) = path.strip_prefix(root) {
                keys.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(())
}
