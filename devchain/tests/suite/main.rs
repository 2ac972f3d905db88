//! devchain's tests over HTTP, one binary: the gov paths and the rest of the SDK's surface.

mod gov;
mod http;
