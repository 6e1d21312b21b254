//! Typed literals of the cluster query language: dotted versions and ECS date/time forms.
//!
//! They live apart from the parser because evaluation needs them too: an instance's agent version
//! is parsed leniently at evaluation time, a literal strictly at parse time.

use std::cmp::Ordering;

/// A dotted version such as `1.14.5`, compared component by component; missing components are 0,
/// so `1.14` == `1.14.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version(Vec<u64>);

impl Version {
    /// Parses a literal strictly: digits separated by single dots.
    pub(crate) fn parse_strict(text: &str) -> Option<Version> {
        let mut parts = Vec::new();
        for part in text.split('.') {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts.push(part.parse().ok()?);
        }
        Some(Version(parts))
    }

    /// Parses an instance's version leniently: a leading `v` is skipped, each dot-separated component
    /// counts its leading digits (`3-dev` is 3), and parsing stops at the first component without any.
    pub(crate) fn parse_lenient(text: &str) -> Version {
        let text = text.strip_prefix('v').unwrap_or(text);
        let mut parts = Vec::new();
        for part in text.split('.') {
            let digits: &str = &part[..part.bytes().take_while(u8::is_ascii_digit).count()];
            if digits.is_empty() {
                break;
            }
            parts.push(digits.parse().unwrap_or(u64::MAX));
        }
        Version(parts)
    }

    pub(crate) fn cmp(&self, other: &Version) -> Ordering {
        let len = self.0.len().max(other.0.len());
        for index in 0..len {
            let left = self.0.get(index).copied().unwrap_or(0);
            let right = other.0.get(index).copied().unwrap_or(0);
            match left.cmp(&right) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        Ordering::Equal
    }
}

/// Parses the `registeredAt` forms ECS documents into epoch seconds:
/// `2018-06-18T22:28:28+00:00`, `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28` (UTC) and `2018-06-18`
/// (midnight UTC). Fractional seconds and `±hhmm` offsets are accepted too.
pub fn parse_time(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let slice = bytes.get(range)?;
        if slice.is_empty() || !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(slice).ok()?.parse().ok()
    };
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = number(0..4)?;
    let month = number(5..7)?;
    let day = number(8..10)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) as f64 * 86_400.0;
    if bytes.len() == 10 {
        return Some(seconds);
    }
    if !matches!(bytes[10], b'T' | b't' | b' ')
        || bytes.len() < 19
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let hour = number(11..13)?;
    let minute = number(14..16)?;
    let second = number(17..19)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    seconds += (hour * 3600 + minute * 60 + second) as f64;
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        seconds += format!("0.{}", &fraction[..digits]).parse::<f64>().ok()?;
        rest = &fraction[digits..];
    }
    match rest {
        "" | "Z" | "z" => Some(seconds),
        offset => {
            let sign = match offset.as_bytes()[0] {
                b'+' => -1.0,
                b'-' => 1.0,
                _ => return None,
            };
            let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
            let colons = offset[1..].len() - digits.len();
            if digits.len() != 4 || colons > 1 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = digits[..2].parse().ok()?;
            let minutes: i64 = digits[2..].parse().ok()?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            Some(seconds + sign * (hours * 3600 + minutes * 60) as f64)
        }
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_component() {
        let v = |s| Version::parse_strict(s).unwrap();
        assert_eq!(v("1.14.5").cmp(&v("1.14.10")), Ordering::Less);
        assert_eq!(v("1.14").cmp(&v("1.14.0")), Ordering::Equal);
        assert_eq!(v("2").cmp(&v("1.99.99")), Ordering::Greater);
        assert_eq!(Version::parse_strict("1..2"), None);
        assert_eq!(Version::parse_strict("1.2a"), None);
        assert_eq!(Version::parse_lenient("v1.70.2-dev").cmp(&v("1.70.2")), Ordering::Equal);
        assert_eq!(Version::parse_lenient("garbage").cmp(&v("0")), Ordering::Equal);
    }

    #[test]
    fn times_in_every_documented_form() {
        let midnight = 1_529_280_000.0; // 2018-06-18T00:00:00Z
        assert_eq!(parse_time("2018-06-18"), Some(midnight));
        assert_eq!(parse_time("2018-06-18T22:28:28Z"), Some(midnight + 80_908.0));
        assert_eq!(parse_time("2018-06-18T22:28:28+00:00"), Some(midnight + 80_908.0));
        assert_eq!(parse_time("2018-06-18T22:28:28"), Some(midnight + 80_908.0));
        assert_eq!(parse_time("2018-06-18T23:28:28+01:00"), Some(midnight + 80_908.0));
        assert_eq!(parse_time("2018-06-18T21:28:28-0100"), Some(midnight + 80_908.0));
        assert_eq!(parse_time("2018-06-18T22:28:28.5Z"), Some(midnight + 80_908.5));
        assert_eq!(parse_time("1970-01-01"), Some(0.0));
        assert_eq!(parse_time("2000-02-29"), Some(951_782_400.0));
        for bad in [
            "2018-13-01",
            "2018-02-30",
            "2019-02-29",
            "18-06-18",
            "2018-06-18T25:00:00",
            "2018-06-18T22:28",
            "2018-06-18T22:28:28+1",
            "yesterday",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
