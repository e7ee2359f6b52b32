//! Operations: `/healthz`, `/readyz`, Prometheus `/metrics`, request tracing and the
//! panic safety net. Labels carry route templates, never paths with ids or queries,
//! so neither metrics nor logs contain personal data.

use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RequestLabels {
    pub(crate) method: String,
    pub(crate) route: String,
    pub(crate) status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RouteLabels {
    pub(crate) route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WorkLabels {
    work: &'static str,
}

/// The server's metrics.
pub struct Metrics {
    pub(crate) registry: Mutex<Registry>,
    pub(crate) requests: Family<RequestLabels, Counter>,
    pub(crate) latency: Family<RouteLabels, Histogram>,
    work_running: Family<WorkLabels, Gauge>,
    work_cancelled: Family<WorkLabels, Counter>,
}

impl Metrics {
    /// Registers the metrics.
    pub fn new() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        let mut registry = Registry::with_prefix("trappa");
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        let work_running = Family::<WorkLabels, Gauge>::default();
        let work_cancelled = Family::<WorkLabels, Counter>::default();
        registry.register(
            "work_running",
            "Heavy work (reports, plans, PDFs) running off the async threads, by kind",
            work_running.clone(),
        );
        registry.register(
            "work_cancelled",
            "Heavy work stopped because its client went away, by kind",
            work_cancelled.clone(),
        );
        Self {
            registry: Mutex::new(registry),
            requests,
            latency,
            work_running,
            work_cancelled,
        }
    }

    /// Heavy work of `kind` started (+1) or ended (−1).
    pub(crate) fn work_running(&self, kind: &'static str, delta: i64) {
        self.work_running
            .get_or_create(&WorkLabels { work: kind })
            .inc_by(delta);
    }

    /// Heavy work of `kind` was told to stop because its client went away.
    pub(crate) fn work_cancelled(&self, kind: &'static str) {
        self.work_cancelled
            .get_or_create(&WorkLabels { work: kind })
            .inc();
    }
}
