//! What the agent has to tell the control plane and has not delivered yet: the latest report of
//! every task that changed, and container log lines. Task actors put them here; two senders
//! take them: the outbound loop (a report request) and the poll loop (a poll carries what is
//! pending when it goes out, so a task's start costs no request of its own).
//!
//! Order is kept by delivering one payload at a time: a payload is *in flight* from the moment a
//! sender takes it until the control plane has said it applied it (a report's answer, or the
//! `{"applied":true}` line of a poll's answer, which the control plane sends once what the poll
//! carried is durable, whether or not the poll is still held). Nothing else is taken meanwhile.
//! A payload that failed goes back in front of what came since.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use api::agent::TaskReport;

/// One log line of one container, on its way to the control plane.
#[derive(Debug, Clone)]
pub struct LogShipment {
    pub task_arn: String,
    pub container_name: String,
    pub runtime_id: String,
    pub line: crate::runtime::LogLine,
}

/// The most log lines held while the control plane cannot take them; older ones are dropped.
const MAX_BUFFERED_LINES: usize = 20_000;

/// About the most bytes of log lines one request carries, well under the control plane's limit
/// on a request body (1 MiB): a backlog goes over several requests, and never holds up the
/// task reports that share them.
const MAX_LOG_BYTES_PER_REQUEST: usize = 128 * 1024;

/// Reports and log lines waiting to be delivered.
pub struct Outbox {
    state: parking_lot::Mutex<State>,
    /// Bumped on every change, so that senders can wait for one.
    changes: watch::Sender<u64>,
}

#[derive(Default)]
struct State {
    /// The latest undelivered report of each task, by ARN.
    reports: HashMap<String, TaskReport>,
    lines: Vec<LogShipment>,
    /// When the oldest pending report and the oldest pending line came.
    first_report: Option<Instant>,
    first_line: Option<Instant>,
    /// The last payload left lines behind: they are due at once.
    backlog: bool,
    /// A payload was taken and its delivery is not settled yet.
    in_flight: bool,
    /// The poll loop is gathering what the tasks it just handed out will report: the outbound
    /// loop leaves pending things to the poll meanwhile.
    poll_due: bool,
    closed: bool,
}

/// What one request carries.
#[derive(Debug, Default)]
pub(crate) struct Payload {
    pub(crate) reports: Vec<TaskReport>,
    pub(crate) lines: Vec<LogShipment>,
}

impl Payload {
    pub(crate) fn is_empty(&self) -> bool {
        self.reports.is_empty() && self.lines.is_empty()
    }
}

impl Default for Outbox {
    fn default() -> Outbox {
        Outbox { state: Default::default(), changes: watch::channel(0).0 }
    }
}

impl Outbox {
    fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Keeps `report` as its task's latest. `false` once the agent stopped.
    pub(crate) fn push_report(&self, report: TaskReport) -> bool {
        {
            let mut state = self.state.lock();
            if state.closed {
                return false;
            }
            state.first_report.get_or_insert_with(Instant::now);
            state.reports.insert(report.task_arn.clone(), report);
        }
        self.changed();
        true
    }

    /// Adds log lines, in order. `false` once the agent stopped.
    pub(crate) fn push_lines(&self, lines: impl IntoIterator<Item = LogShipment>) -> bool {
        {
            let mut state = self.state.lock();
            if state.closed {
                return false;
            }
            let before = state.lines.len();
            state.lines.extend(lines);
            if state.lines.len() > before {
                state.first_line.get_or_insert_with(Instant::now);
            }
            if state.lines.len() > MAX_BUFFERED_LINES {
                let excess = state.lines.len() - MAX_BUFFERED_LINES;
                state.lines.drain(..excess);
                tracing::warn!(
                    dropped = excess,
                    "Dropped container log lines the control plane could not take"
                );
            }
        }
        self.changed();
        true
    }

    /// Refuses everything from now on (the agent is stopping).
    pub(crate) fn close(&self) {
        self.state.lock().closed = true;
        self.changed();
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// When the outbound loop should send what is pending: a report waits `report_gather` for
    /// others and for the lines that follow a start, lines alone wait `log_gather` for a
    /// report to ride on; a backlog left by the last payload is due at once. `None` when nothing
    /// is pending.
    pub(crate) fn due(&self, report_gather: Duration, log_gather: Duration) -> Option<Instant> {
        let state = self.state.lock();
        if state.backlog && !state.lines.is_empty() {
            return Some(Instant::now());
        }
        let report = state.first_report.map(|at| at + report_gather);
        let line = state.first_line.map(|at| at + log_gather);
        match (report, line) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the outbound loop may take a payload now: none is in flight and the poll loop
    /// is not gathering.
    pub(crate) fn may_send(&self) -> bool {
        let state = self.state.lock();
        !state.in_flight && !state.poll_due
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state.lock().closed
    }

    /// Takes what one request carries (every pending report, the oldest lines up to
    /// [`MAX_LOG_BYTES_PER_REQUEST`]) and marks it in flight. `None` when a payload is in
    /// flight already or nothing is pending.
    pub(crate) fn take(&self) -> Option<Payload> {
        let mut state = self.state.lock();
        if state.in_flight || (state.reports.is_empty() && state.lines.is_empty()) {
            return None;
        }
        let carried = lines_per_request(&state.lines);
        let payload = Payload {
            reports: state.reports.drain().map(|(_, r)| r).collect(),
            lines: state.lines.drain(..carried).collect(),
        };
        state.first_report = None;
        state.backlog = !state.lines.is_empty();
        if !state.backlog {
            state.first_line = None;
        }
        state.in_flight = true;
        Some(payload)
    }

    /// The control plane applied the payload taken last.
    pub(crate) fn delivered(&self) {
        self.state.lock().in_flight = false;
        self.changed();
    }

    /// The payload taken last may not have arrived: it goes back in front of what came since
    /// (a task's newer report stays).
    pub(crate) fn failed(&self, payload: Payload) {
        {
            let mut state = self.state.lock();
            state.in_flight = false;
            if !payload.reports.is_empty() {
                state.first_report.get_or_insert_with(Instant::now);
            }
            for report in payload.reports {
                state.reports.entry(report.task_arn.clone()).or_insert(report);
            }
            if !payload.lines.is_empty() {
                state.first_line.get_or_insert_with(Instant::now);
                let newer = std::mem::replace(&mut state.lines, payload.lines);
                state.lines.extend(newer);
            }
        }
        self.changed();
    }

    /// The poll loop starts (`true`) or ends gathering before a poll.
    pub(crate) fn set_poll_due(&self, due: bool) {
        self.state.lock().poll_due = due;
        self.changed();
    }

    /// Whether every one of `tasks` (ARNs) has a pending report.
    pub(crate) fn reported(&self, tasks: &[String]) -> bool {
        let state = self.state.lock();
        tasks.iter().all(|t| state.reports.contains_key(t))
    }
}

/// How many of the oldest lines of `lines` one request carries: as many as fit
/// [`MAX_LOG_BYTES_PER_REQUEST`], and at least one.
fn lines_per_request(lines: &[LogShipment]) -> usize {
    let mut bytes = 0;
    for (n, shipment) in lines.iter().enumerate() {
        bytes += shipment.line.message.len() + 64;
        if n > 0 && bytes > MAX_LOG_BYTES_PER_REQUEST {
            return n;
        }
    }
    lines.len()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn line(task_arn: &str, message_bytes: usize) -> LogShipment {
        LogShipment {
            task_arn: task_arn.to_owned(),
            container_name: "app".to_owned(),
            runtime_id: format!("{task_arn}-app"),
            line: crate::runtime::LogLine {
                timestamp: 1,
                stderr: false,
                message: "x".repeat(message_bytes),
            },
        }
    }

    fn report(task_arn: &str, status: &str) -> TaskReport {
        TaskReport {
            task_arn: task_arn.to_owned(),
            status: status.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn a_log_backlog_goes_over_several_requests() {
        // Three lines of a third of the limit each pass it with their overhead: two go first.
        let third = MAX_LOG_BYTES_PER_REQUEST / 3;
        let buffer: Vec<_> = (0..7).map(|_| line("t1", third)).collect();
        assert_eq!(lines_per_request(&buffer), 2);
        // A line over the limit still goes, alone.
        let huge = vec![line("t1", 2 * MAX_LOG_BYTES_PER_REQUEST), line("t1", 10)];
        assert_eq!(lines_per_request(&huge), 1);
        // Small lines all go together.
        let small: Vec<_> = (0..100).map(|_| line("t1", 10)).collect();
        assert_eq!(lines_per_request(&small), 100);
        assert_eq!(lines_per_request(&[]), 0);

        // The outbox hands a backlog over as many payloads, the rest due at once.
        let outbox = Outbox::default();
        outbox.push_lines(buffer);
        let first = outbox.take().unwrap();
        assert_eq!(first.lines.len(), 2);
        outbox.delivered();
        let due = outbox.due(Duration::from_secs(60), Duration::from_secs(60)).unwrap();
        assert!(due <= Instant::now(), "a backlog is due at once");
    }

    #[tokio::test]
    async fn one_payload_is_out_at_a_time_and_a_failed_one_goes_back_in_front() {
        let outbox = Outbox::default();
        assert!(outbox.take().is_none(), "nothing pending");
        outbox.push_report(report("t1", "PENDING"));
        outbox.push_lines([line("t1", 1)]);
        let first = outbox.take().unwrap();
        assert_eq!(first.reports, vec![report("t1", "PENDING")]);
        assert_eq!(first.lines.len(), 1);

        // While it is out, newer things wait, and nothing else is taken.
        outbox.push_report(report("t1", "RUNNING"));
        outbox.push_report(report("t2", "PENDING"));
        let mut second_line = line("t1", 2);
        second_line.line.timestamp = 2;
        outbox.push_lines([second_line]);
        assert!(!outbox.may_send());
        assert!(outbox.take().is_none());

        // It failed: its report yields to the task's newer one, its line goes first.
        outbox.failed(first);
        assert!(outbox.may_send());
        let retry = outbox.take().unwrap();
        let mut statuses: Vec<(String, String)> =
            retry.reports.iter().map(|r| (r.task_arn.clone(), r.status.clone())).collect();
        statuses.sort();
        assert_eq!(
            statuses,
            vec![("t1".into(), "RUNNING".into()), ("t2".into(), "PENDING".into())]
        );
        let order: Vec<usize> = retry.lines.iter().map(|l| l.line.message.len()).collect();
        assert_eq!(order, vec![1, 2]);
        outbox.delivered();
        assert!(outbox.take().is_none(), "everything was delivered");
        assert!(outbox.due(Duration::ZERO, Duration::ZERO).is_none());
    }

    #[tokio::test]
    async fn the_outbound_loop_leaves_what_is_pending_to_a_poll_being_gathered() {
        let outbox = Outbox::default();
        outbox.set_poll_due(true);
        outbox.push_report(report("t1", "RUNNING"));
        assert!(!outbox.may_send());
        assert!(outbox.reported(&["t1".to_owned()]));
        assert!(!outbox.reported(&["t1".to_owned(), "t2".to_owned()]));
        // The poll takes it even while it gathers; then the outbound loop may send again.
        assert!(outbox.take().is_some());
        outbox.set_poll_due(false);
        outbox.delivered();
        assert!(outbox.may_send());
        outbox.close();
        assert!(!outbox.push_report(report("t2", "PENDING")), "a closed outbox refuses");
    }
}
