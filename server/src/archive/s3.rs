//! The archive in an S3-compatible bucket (aws-sdk-s3). With an endpoint override (MinIO,
//! s3s-fs, moto...) requests use path-style addressing.

use super::ArchiveError;
use aws_sdk_s3::{primitives::ByteStream, Client};
use bytes::Bytes;

#[derive(Clone)]
pub struct S3Archive {
    client: Client,
    bucket: String,
    prefix: String,
}

impl S3Archive {
    pub async fn new(bucket: &str, prefix: &str, endpoint: Option<&str>) -> Self {
        let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(
                aws_config::meta::region::RegionProviderChain::default_provider()
                    .or_else("us-east-1"),
            )
            .load()
            .await;
        let mut config = aws_sdk_s3::config::Builder::from(&shared);
        if let Some(endpoint) = endpoint {
            config = config.endpoint_url(endpoint).force_path_style(true);
        }
        Self {
            client: Client::from_conf(config.build()),
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
        }
    }

    pub fn describe(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}", self.bucket)
        } else {
            format!("s3://{}/{}", self.bucket, self.prefix)
        }
    }

    fn object_key(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{}", self.prefix, key)
        }
    }

    fn error(&self, e: impl std::error::Error) -> ArchiveError {
        // The SDK's Display is terse ("service error"); its sources carry the reason.
        let mut message = e.to_string();
        let mut source = e.source();
        while let Some(cause) = source {
            message = format!("{message}: {cause}");
            source = cause.source();
        }
        ArchiveError::Io {
            location: self.describe(),
            message,
        }
    }

    pub async fn put(&self, key: &str, body: Bytes) -> Result<(), ArchiveError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .content_type("application/json")
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, ArchiveError> {
        let result = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .send()
            .await;
        match result {
            Ok(output) => {
                let body = output.body.collect().await.map_err(|e| self.error(e))?;
                Ok(Some(body.into_bytes()))
            }
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) => Err(self.error(e)),
        }
    }

    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, ArchiveError> {
        let full_prefix = self.object_key(prefix);
        let strip = if self.prefix.is_empty() {
            0
        } else {
            self.prefix.len() + 1
        };
        let mut keys = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(&full_prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.error(e))?;
            keys.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key())
                    .map(|k| k[strip..].to_string()),
            );
        }
        Ok(keys)
    }
}
