//! Incidents: windows in which failures of one code towards one destination rose well above
//! that destination's own usual level.
//!
//! Outbound outcomes are counted per (recipient domain, code) in ten-minute buckets of the
//! log's wall-clock time. Each domain also counts towards its mail provider, recognised from
//! the relay host (one provider such as Google or Microsoft serves many domains, and a block
//! there shows across all of them), and towards all destinations together.
//!
//! A bucket is a spike when the code's failures there are many, and far more than the
//! destination's usual share of failures of that code predicts for the attempts of that bucket.
//! Comparing shares rather than counts keeps busy daytime hours and sending bursts from looking
//! like incidents. The usual share is read from the buckets that are not spikes, so a long
//! incident does not hide itself. Adjacent spike buckets make one incident.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDateTime};

use crate::aggregate::CodeKey;
use crate::codes::{Class, Direction};
use crate::event::Event;

/// The width of a bucket.
pub const BUCKET_MINUTES: i64 = 10;
/// Fewer failures than this in a bucket are never a spike.
const MIN_SPIKE_FAILURES: u64 = 5;
/// Fewer failures than this in all its buckets are never an incident.
const MIN_INCIDENT_FAILURES: u64 = 15;
/// A spike holds at least this many times the failures the usual share predicts.
const SPIKE_RATIO: f64 = 3.0;
/// Series points kept before the series with the fewest failures are dropped.
const POINT_CAP: usize = 400_000;

/// A bucket: minutes since the epoch of the log's wall-clock time, divided by the width.
type Bucket = i64;

fn bucket_of(time: NaiveDateTime) -> Bucket {
    time.and_utc().timestamp().div_euclid(BUCKET_MINUTES * 60)
}

fn bucket_start(bucket: Bucket) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(bucket * BUCKET_MINUTES * 60, 0)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}

/// What one chunk counted, per recipient domain.
#[derive(Clone, Debug, Default)]
pub struct ChunkSpikes {
    domains: HashMap<Box<str>, DomainCells, foldhash::fast::RandomState>,
    /// The input the chunk's failures were read from: a chunk holds lines of one input.
    file: Box<str>,
}

#[derive(Clone, Debug, Default)]
struct DomainCells {
    /// The first relay host named, which names the provider.
    relay: Box<str>,
    /// Delivery attempts per bucket; a chunk covers few buckets.
    attempts: Vec<(Bucket, u32)>,
    /// Failures per code and bucket, with the line of the first; a domain sees few codes.
    failures: Vec<(CodeKey, Bucket, u32, u64)>,
}

impl ChunkSpikes {
    /// Runs `count` on the cells of an outbound event's domain and the event's bucket.
    fn count(
        &mut self,
        event: &Event<'_>,
        domain: &str,
        count: impl FnOnce(&mut DomainCells, Bucket),
    ) {
        if event.direction != Direction::Outbound || domain.is_empty() {
            return;
        }
        let Some(time) = event.timestamp else { return };
        let bucket = bucket_of(time.local);
        let cells = match self.domains.get_mut(domain) {
            Some(cells) => cells,
            None => self.domains.entry(domain.into()).or_default(),
        };
        // A connection that failed before reaching a server names none.
        if cells.relay.is_empty() && !event.remote_host.is_empty() {
            cells.relay = event.remote_host.into();
        }
        count(cells, bucket);
    }

    /// Counts a delivery attempt, whatever `--only` keeps: the attempts are what a usual share
    /// of failures is measured against.
    pub fn attempt(&mut self, event: &Event<'_>) {
        self.count(
            event,
            &event.recipient_domain(),
            |cells, bucket| match cells.attempts.iter_mut().find(|(b, _)| *b == bucket) {
                Some((_, count)) => *count += 1,
                None => cells.attempts.push((bucket, 1)),
            },
        );
    }

    /// Counts a kept outbound failure towards `domain`, the recipient's domain, read at
    /// `file:line`.
    pub fn failure(
        &mut self,
        event: &Event<'_>,
        domain: &str,
        key: CodeKey,
        (file, line): (&str, u64),
    ) {
        if !matches!(key.class, Class::Transient | Class::Permanent) {
            return;
        }
        if self.file.is_empty() {
            self.file = file.into();
        }
        self.count(event, domain, |cells, bucket| {
            match cells
                .failures
                .iter_mut()
                .find(|(k, b, _, _)| *b == bucket && *k == key)
            {
                Some((_, _, count, _)) => *count += 1,
                None => cells.failures.push((key, bucket, 1, line)),
            }
        });
    }
}

/// Whom a series is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Destination {
    /// One recipient domain.
    Domain(Box<str>),
    /// The domains one provider serves, recognised from the relay host.
    Provider(&'static str),
    /// Every destination together.
    All,
}

impl Destination {
    /// How wide the group is: a domain is the narrowest.
    fn breadth(&self) -> u8 {
        match self {
            Destination::Domain(_) => 0,
            Destination::Provider(_) => 1,
            Destination::All => 2,
        }
    }

    /// The name shown in reports.
    pub fn label(&self) -> String {
        match self {
            Destination::Domain(domain) => domain.to_string(),
            Destination::Provider(name) => format!("{name} (provider)"),
            Destination::All => "all destinations".to_string(),
        }
    }
}

/// Counts per bucket, in bucket order.
#[derive(Clone, Debug, Default)]
struct Series {
    points: Vec<(Bucket, u64)>,
    total: u64,
    /// For a domain's failures, the first line of each bucket, as (bucket, input, line),
    /// buckets increasing: where an incident's example line is found. Empty for the sums and
    /// for series merged from summaries written before they kept lines.
    firsts: Vec<(Bucket, u32, u64)>,
}

impl Series {
    /// Notes a line of `bucket`, which stays its first unless one read earlier was noted. Inputs
    /// are numbered in reading order, so an earlier line has a smaller (input, line).
    fn note_first(&mut self, bucket: Bucket, file: u32, line: u64) {
        match self.firsts.binary_search_by_key(&bucket, |(b, _, _)| *b) {
            Ok(at) => {
                let noted = &mut self.firsts[at];
                if (file, line) < (noted.1, noted.2) {
                    *noted = (bucket, file, line);
                }
            }
            Err(at) => self.firsts.insert(at, (bucket, file, line)),
        }
    }

    /// Adds `count` at `bucket`; gives the number of points added, 0 or 1.
    fn add(&mut self, bucket: Bucket, count: u64) -> usize {
        self.total += count;
        // Buckets nearly always come in order.
        if let Some(last) = self.points.last_mut()
            && last.0 == bucket
        {
            last.1 += count;
            return 0;
        }
        match self.points.binary_search_by_key(&bucket, |(b, _)| *b) {
            Ok(at) => {
                self.points[at].1 += count;
                0
            }
            Err(at) => {
                self.points.insert(at, (bucket, count));
                1
            }
        }
    }

    fn get(&self, bucket: Bucket) -> u64 {
        self.points
            .binary_search_by_key(&bucket, |(b, _)| *b)
            .map_or(0, |at| self.points[at].1)
    }
}

/// One series as [`Spikes::series`] lists it: whom it is about, the code of its failures (none
/// for attempts), and its (bucket, count) points.
pub type SeriesView<'a> = (&'a Destination, Option<&'a CodeKey>, &'a [(i64, u64)]);

/// Counts of the whole run, merged in input order, per domain and for all destinations. The
/// provider series are added up from their domains when incidents are looked for: a domain
/// belongs to the provider of the first relay host named for it in the log, which does not
/// depend on how the log was cut into chunks or parts.
#[derive(Clone, Debug, Default)]
pub struct Spikes {
    attempts: HashMap<Destination, Series, foldhash::fast::RandomState>,
    failures: HashMap<(Destination, CodeKey), Series, foldhash::fast::RandomState>,
    providers: HashMap<Box<str>, &'static str, foldhash::fast::RandomState>,
    /// The inputs the series' first lines were read from, in reading order.
    files: Vec<Box<str>>,
    points: usize,
    /// The largest failure total dropped by the cap.
    pub dropped_max: u64,
}

impl Spikes {
    /// Adds a chunk's counts.
    pub fn merge(&mut self, chunk: ChunkSpikes) {
        let mut domains: Vec<_> = chunk.domains.into_iter().collect();
        domains.sort_by(|a, b| a.0.cmp(&b.0));
        let file = self.file_index(&chunk.file);
        for (domain, cells) in domains {
            if !cells.relay.is_empty() && !self.providers.contains_key(&domain) {
                // Only the first relay named decides; one that is no provider's still does.
                let provider = provider_of(&cells.relay).unwrap_or("");
                self.providers.insert(domain.clone(), provider);
            }
            for destination in [Destination::All, Destination::Domain(domain)] {
                let per_domain = matches!(destination, Destination::Domain(_));
                for &(key, bucket, count, line) in &cells.failures {
                    let series = self.failures.entry((destination.clone(), key)).or_default();
                    self.points += series.add(bucket, u64::from(count));
                    if per_domain {
                        series.note_first(bucket, file, line);
                    }
                }
                let attempts = self.attempts.entry(destination).or_default();
                for &(bucket, count) in &cells.attempts {
                    self.points += attempts.add(bucket, u64::from(count));
                }
            }
        }
        if self.points > POINT_CAP {
            self.prune();
        }
    }

    /// Numbers the inputs of a run in reading order before any series is added, so that the
    /// first lines of series added in another order still compare in reading order.
    pub fn number_inputs<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            self.file_index(name);
        }
    }

    /// The first line of each bucket of a domain's failures of `code`, as (bucket, input,
    /// line), buckets increasing.
    pub fn first_lines(&self, destination: &Destination, code: &CodeKey) -> Vec<(i64, &str, u64)> {
        self.failures
            .get(&(destination.clone(), *code))
            .map(|series| {
                series
                    .firsts
                    .iter()
                    .map(|&(bucket, file, line)| (bucket, &*self.files[file as usize], line))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Notes the first lines of a domain's failures of `code` counted elsewhere, as
    /// [`Spikes::first_lines`] gave them, once their series is added.
    pub fn add_first_lines<'a>(
        &mut self,
        destination: &Destination,
        code: &CodeKey,
        firsts: impl IntoIterator<Item = (i64, &'a str, u64)>,
    ) {
        let firsts: Vec<(i64, u32, u64)> = firsts
            .into_iter()
            .map(|(bucket, file, line)| (bucket, self.file_index(file), line))
            .collect();
        if let Some(series) = self.failures.get_mut(&(destination.clone(), *code)) {
            for (bucket, file, line) in firsts {
                series.note_first(bucket, file, line);
            }
        }
    }

    /// The index of an input among those first lines were read from.
    fn file_index(&mut self, file: &str) -> u32 {
        match self.files.iter().rposition(|known| &**known == file) {
            Some(at) => at as u32,
            None => {
                self.files.push(file.into());
                (self.files.len() - 1) as u32
            }
        }
    }

    /// The first line, as `(file, line)`, that failed with the incident's code towards its
    /// destination inside its window: for a provider or all destinations, the first of any of
    /// their domains, in reading order. `None` when no line was kept (a summary written before
    /// summaries kept them).
    pub fn example_of(&self, incident: &Incident) -> Option<(&str, u64)> {
        let window = bucket_of(incident.start)..bucket_of(incident.end);
        let covers = |domain: &str| match &incident.destination {
            Destination::Domain(wanted) => **wanted == *domain,
            Destination::Provider(provider) => {
                self.providers.get(domain).is_some_and(|p| p == provider)
            }
            Destination::All => true,
        };
        self.failures
            .iter()
            .filter_map(|((destination, key), series)| match destination {
                Destination::Domain(domain) if *key == incident.code && covers(domain) => {
                    Some(series)
                }
                _ => None,
            })
            .filter_map(|series| {
                series
                    .firsts
                    .iter()
                    .find(|(bucket, _, _)| window.contains(bucket))
                    .map(|&(_, file, line)| (file, line))
            })
            .min()
            .map(|(file, line)| (&*self.files[file as usize], line))
    }

    /// Drops the failure series with the fewest failures, and the attempt series of domains
    /// left without any, until half the cap is used.
    fn prune(&mut self) {
        let mut by_total: Vec<_> = self
            .failures
            .iter()
            .map(|(key, series)| (series.total, key.clone()))
            .collect();
        by_total.sort();
        for (total, key) in by_total {
            if self.points <= POINT_CAP / 2 {
                break;
            }
            if let Some(series) = self.failures.remove(&key) {
                self.points -= series.points.len();
                self.dropped_max = self.dropped_max.max(total);
            }
        }
        let still_failing: HashSet<&Destination> = self.failures.keys().map(|(d, _)| d).collect();
        let orphans: Vec<Destination> = self
            .attempts
            .keys()
            .filter(|d| matches!(d, Destination::Domain(_)) && !still_failing.contains(d))
            .cloned()
            .collect();
        for destination in orphans {
            if let Some(series) = self.attempts.remove(&destination) {
                self.points -= series.points.len();
            }
        }
    }

    /// The provider of each domain whose relay is known, by domain; empty when that relay is
    /// no provider's.
    pub fn providers(&self) -> Vec<(&str, &'static str)> {
        let mut providers: Vec<_> = self.providers.iter().map(|(d, p)| (&**d, *p)).collect();
        providers.sort();
        providers
    }

    /// Records the provider of a domain, counted elsewhere, unless it has one already.
    pub fn add_provider(&mut self, domain: &str, provider: &'static str) {
        if !self.providers.contains_key(domain) {
            self.providers.insert(domain.into(), provider);
        }
    }

    /// Every series of a domain or of all destinations, with, for failures, its code: attempt
    /// series first, then failure series, each in a fixed order. Points are (bucket, count),
    /// buckets increasing.
    pub fn series(&self) -> Vec<SeriesView<'_>> {
        let mut attempts: Vec<_> = self
            .attempts
            .iter()
            .map(|(destination, series)| (destination, None, &series.points[..]))
            .collect();
        attempts.sort_by(|a, b| a.0.cmp(b.0));
        let mut failures: Vec<_> = self
            .failures
            .iter()
            .map(|((destination, key), series)| (destination, Some(key), &series.points[..]))
            .collect();
        failures.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.cmp(&b.1)));
        attempts.extend(failures);
        attempts
    }

    /// Adds the points of one series counted elsewhere: attempts when `code` is `None`,
    /// failures of `code` otherwise.
    pub fn add_series(
        &mut self,
        destination: Destination,
        code: Option<CodeKey>,
        points: &[(i64, u64)],
    ) {
        let series = match code {
            None => self.attempts.entry(destination).or_default(),
            Some(key) => self.failures.entry((destination, key)).or_default(),
        };
        for &(bucket, count) in points {
            self.points += series.add(bucket, count);
        }
        if self.points > POINT_CAP {
            self.prune();
        }
    }

    /// The series of each provider, added up from its domains.
    fn provider_series(&self) -> Spikes {
        let mut sums = Spikes::default();
        let provider = |destination: &Destination| match destination {
            Destination::Domain(domain) => self
                .providers
                .get(domain)
                .filter(|p| !p.is_empty())
                .map(|p| Destination::Provider(p)),
            _ => None,
        };
        for (destination, series) in &self.attempts {
            if let Some(provider) = provider(destination) {
                let sum = sums.attempts.entry(provider).or_default();
                for &(bucket, count) in &series.points {
                    sum.add(bucket, count);
                }
            }
        }
        for ((destination, key), series) in &self.failures {
            if let Some(provider) = provider(destination) {
                let sum = sums.failures.entry((provider, *key)).or_default();
                for &(bucket, count) in &series.points {
                    sum.add(bucket, count);
                }
            }
        }
        sums
    }

    /// Finds the incidents, largest first.
    pub fn incidents(&self) -> Vec<Incident> {
        let providers = self.provider_series();
        let mut found = Vec::new();
        for spikes in [self, &providers] {
            for ((destination, key), failures) in &spikes.failures {
                if failures.total < MIN_SPIKE_FAILURES {
                    continue;
                }
                let Some(attempts) = spikes.attempts.get(destination) else {
                    continue;
                };
                found.extend(spikes_in(destination, *key, failures, attempts));
            }
        }
        found.sort_by(|a, b| {
            b.failures
                .cmp(&a.failures)
                .then_with(|| a.start.cmp(&b.start))
                .then_with(|| a.destination.breadth().cmp(&b.destination.breadth()))
                .then_with(|| a.destination.cmp(&b.destination))
                .then_with(|| a.code.cmp(&b.code))
        });
        drop_repeats(found)
    }
}

/// A window in which failures of one code towards one destination rose well above its usual
/// level.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    /// Whom it hit.
    pub destination: Destination,
    /// The code.
    pub code: CodeKey,
    /// The start of its first bucket, in the log's wall-clock time.
    pub start: NaiveDateTime,
    /// The end of its last bucket.
    pub end: NaiveDateTime,
    /// Failures of the code in the window.
    pub failures: u64,
    /// Every outcome towards the destination in the window.
    pub attempts: u64,
    /// The share of attempts that failed with the code outside incidents, 0 to 1.
    pub usual_share: f64,
    /// The failures that share predicts for the window's attempts.
    pub expected: f64,
}

fn is_spike(failures: u64, attempts: u64, share: f64) -> bool {
    let expected = share * attempts as f64;
    failures >= MIN_SPIKE_FAILURES
        && failures as f64 >= SPIKE_RATIO * expected
        && failures as f64 >= expected + 5.0 * expected.sqrt() + 3.0
}

fn spikes_in(
    destination: &Destination,
    code: CodeKey,
    failures: &Series,
    attempts: &Series,
) -> Vec<Incident> {
    // The usual share, read again without the buckets that stood out the first time.
    let mut share = failures.total as f64 / attempts.total.max(1) as f64;
    let mut spike_buckets: Vec<Bucket> = Vec::new();
    for _ in 0..2 {
        spike_buckets = failures
            .points
            .iter()
            .filter(|(bucket, count)| is_spike(*count, attempts.get(*bucket), share))
            .map(|(bucket, _)| *bucket)
            .collect();
        let spike_failures: u64 = spike_buckets.iter().map(|b| failures.get(*b)).sum();
        let spike_attempts: u64 = spike_buckets.iter().map(|b| attempts.get(*b)).sum();
        let rest_attempts = attempts.total - spike_attempts;
        if rest_attempts == 0 {
            // Nothing but the spike: no usual level to rise above.
            return Vec::new();
        }
        share = (failures.total - spike_failures) as f64 / rest_attempts as f64;
    }
    let mut incidents: Vec<Incident> = Vec::new();
    let mut current: Option<(Bucket, Bucket)> = None;
    let close = |range: (Bucket, Bucket), incidents: &mut Vec<Incident>| {
        let (first, last) = range;
        let in_window = |series: &Series| -> u64 {
            series
                .points
                .iter()
                .filter(|(b, _)| (first..=last).contains(b))
                .map(|(_, c)| c)
                .sum()
        };
        let window_attempts = in_window(attempts);
        let window_failures = in_window(failures);
        if window_failures < MIN_INCIDENT_FAILURES {
            return;
        }
        incidents.push(Incident {
            destination: destination.clone(),
            code,
            start: bucket_start(first),
            end: bucket_start(last) + Duration::minutes(BUCKET_MINUTES),
            failures: window_failures,
            attempts: window_attempts,
            usual_share: share,
            expected: share * window_attempts as f64,
        });
    };
    for bucket in spike_buckets {
        current = match current {
            // One quiet bucket between two spikes does not split the incident.
            Some((first, last)) if bucket - last <= 2 => Some((first, bucket)),
            Some(range) => {
                close(range, &mut incidents);
                Some((bucket, bucket))
            }
            None => Some((bucket, bucket)),
        };
    }
    if let Some(range) = current {
        close(range, &mut incidents);
    }
    incidents
}

/// Keeps a wider group's incident only when it says more than a narrower one of the same code
/// and time: a spike at one domain shows at its provider and at all destinations too.
fn drop_repeats(found: Vec<Incident>) -> Vec<Incident> {
    let mut narrow_first: Vec<usize> = (0..found.len()).collect();
    narrow_first.sort_by_key(|&i| found[i].destination.breadth());
    let mut keep = vec![false; found.len()];
    for &i in &narrow_first {
        let incident = &found[i];
        let covered = narrow_first.iter().filter(|&&j| keep[j]).any(|&j| {
            let narrower = &found[j];
            narrower.code == incident.code
                && narrower.destination.breadth() < incident.destination.breadth()
                && narrower.start < incident.end
                && incident.start < narrower.end
                && narrower.failures as f64 >= 0.8 * incident.failures as f64
        });
        keep[i] = !covered;
    }
    found
        .into_iter()
        .zip(keep)
        .filter_map(|(incident, keep)| keep.then_some(incident))
        .collect()
}

/// The mail provider a relay host belongs to, for the providers that serve many domains.
pub fn provider_of(relay: &str) -> Option<&'static str> {
    let relay = relay.trim_end_matches('.').as_bytes();
    PROVIDERS.iter().find_map(|(suffix, name)| {
        let suffix = suffix.as_bytes();
        let matches = relay.len() >= suffix.len()
            && relay[relay.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
            && (relay.len() == suffix.len() || relay[relay.len() - suffix.len() - 1] == b'.');
        matches.then_some(*name)
    })
}

/// The provider of this name, as [`provider_of`] gives it.
pub fn provider_named(name: &str) -> Option<&'static str> {
    PROVIDERS
        .iter()
        .map(|(_, known)| *known)
        .find(|known| *known == name)
}

/// Relay host suffixes and the provider they belong to.
const PROVIDERS: &[(&str, &str)] = &[
    ("google.com", "Google"),
    ("googlemail.com", "Google"),
    ("outlook.com", "Microsoft"),
    ("hotmail.com", "Microsoft"),
    ("protection.outlook.com", "Microsoft"),
    ("yahoodns.net", "Yahoo"),
    ("yahoo.com", "Yahoo"),
    ("icloud.com", "Apple"),
    ("me.com", "Apple"),
    ("mimecast.com", "Mimecast"),
    ("pphosted.com", "Proofpoint"),
    ("ppe-hosted.com", "Proofpoint"),
    ("barracudanetworks.com", "Barracuda"),
    ("messagelabs.com", "Broadcom MessageLabs"),
    ("iphmx.com", "Cisco Secure Email"),
    ("protonmail.ch", "Proton"),
    ("messagingengine.com", "Fastmail"),
    ("zoho.com", "Zoho"),
    ("zoho.eu", "Zoho"),
    ("yandex.net", "Yandex"),
    ("yandex.ru", "Yandex"),
    ("mail.ru", "Mail.ru"),
    ("gmx.net", "GMX / web.de"),
    ("web.de", "GMX / web.de"),
    ("aol.com", "Yahoo"),
    ("ovh.net", "OVHcloud"),
    ("secureserver.net", "GoDaddy"),
    ("amazonaws.com", "Amazon"),
    ("qq.com", "Tencent"),
    ("163.com", "NetEase"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_are_told_by_the_relay_host() {
        assert_eq!(provider_of("gmail-smtp-in.l.google.com"), Some("Google"));
        assert_eq!(
            provider_of("example-org.mail.protection.outlook.com"),
            Some("Microsoft")
        );
        assert_eq!(provider_of("mta7.am0.yahoodns.net."), Some("Yahoo"));
        assert_eq!(provider_of("notgoogle.com"), None);
        assert_eq!(provider_of("mx.example.org"), None);
        assert_eq!(provider_of("ASPMX.L.Google.COM"), Some("Google"));
    }
}
