//! Calendar days and times of day, as the phone's clock shows them. Follow-ups
//! are due by the phone's local day, so every date here is a civil date
//! (`YYYY-MM-DD`) in a given UTC offset; no time-zone database is needed.

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// A moment as a phone in some time zone shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// Days since 1970-01-01 in local time.
    pub day: i64,
    /// Minutes since local midnight.
    pub minute: u32,
}

impl LocalTime {
    /// `ms` since the epoch (UTC) on a clock `offset_minutes` east of UTC
    /// (UTC+8: 480; UTC-5: -300).
    pub fn at(ms: i64, offset_minutes: i32) -> LocalTime {
        let local = ms + i64::from(offset_minutes) * 60_000;
        LocalTime { day: local.div_euclid(DAY_MS), minute: (local.rem_euclid(DAY_MS) / 60_000) as u32 }
    }

    pub fn date(self) -> String {
        date_of_day(self.day)
    }
}

/// ISO 8601 with the offset, e.g. `2026-11-28T09:05:00+08:00`.
pub fn iso_8601(ms: i64, offset_minutes: i32) -> String {
    let local = LocalTime::at(ms, offset_minutes);
    let seconds = (ms + i64::from(offset_minutes) * 60_000).rem_euclid(60_000) / 1000;
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!("{}T{:02}:{:02}:{seconds:02}{sign}{:02}:{:02}", local.date(), local.minute / 60, local.minute % 60, offset / 60, offset % 60)
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01); Howard Hinnant's
/// civil-from-days.
pub fn date_of_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The day number of `YYYY-MM-DD`, or `None` if it is not a real date.
pub fn day_of_date(date: &str) -> Option<i64> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = date[0..4].parse().ok()?;
    let month: i64 = date[5..7].parse().ok()?;
    let day: i64 = date[8..10].parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // 2026-02-30 would land in March: not a date.
    (date_of_day(days) == date).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(day_of_date("2000-02-29"), Some(11_016));
        for days in [-1000, 0, 11_016, 20_420, 40_000] {
            assert_eq!(day_of_date(&date_of_day(days)), Some(days));
        }
        assert_eq!(day_of_date("2026-02-30"), None);
        assert_eq!(day_of_date("2026-2-3"), None);
    }

    #[test]
    fn iso_8601_carries_the_offset() {
        let ms = 1_795_824_000_000 + 65_000; // 2026-11-28 00:01:05 UTC
        assert_eq!(iso_8601(ms, 480), "2026-11-28T08:01:05+08:00");
        assert_eq!(iso_8601(ms, -330), "2026-11-27T18:31:05-05:30");
    }

    #[test]
    fn the_local_day_depends_on_the_phone_offset() {
        // 2026-11-28 20:30 UTC.
        let ms = 1_795_824_000_000 + (20 * 60 + 30) * 60_000;
        assert_eq!(LocalTime::at(ms, 0).date(), "2026-11-28");
        let beijing = LocalTime::at(ms, 480);
        assert_eq!((beijing.date().as_str(), beijing.minute), ("2026-11-29", 4 * 60 + 30));
        assert_eq!(LocalTime::at(ms, -300).date(), "2026-11-28");
        assert_eq!(LocalTime::at(ms - 21 * 3_600_000, -300).date(), "2026-11-27");
    }
}
