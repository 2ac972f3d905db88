//! HTTP plumbing under every route: the connection loop with its deadlines, the first look at
//! each request, and the security headers of each response.

pub mod deadline;
pub mod guard;
pub mod headers;
pub mod serve;
