//! The load balancer's data plane end to end: a real `lb::Node` on 127.0.0.1 in front of real
//! backends, one test binary for all.

mod common;
mod flow;
mod health;
mod listeners;
mod routing;
