//! Civil dates for publication dates and relative date phrases ("last month").

/// A proleptic Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl Date {
    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// The same day-less month shifted by `n` months (day set to 1).
    pub fn add_months(self, n: i32) -> Date {
        let m0 = self.year * 12 + self.month as i32 - 1 + n;
        Date {
            year: m0.div_euclid(12),
            month: m0.rem_euclid(12) as u32 + 1,
            day: 1,
        }
    }

    pub fn weekday_name(self) -> &'static str {
        // 1970-01-01 was a Thursday (index 3).
        WEEKDAYS[(self.to_days() + 3).rem_euclid(7) as usize]
    }

    pub fn month_name(self) -> &'static str {
        MONTHS[(self.month as usize).clamp(1, 12) - 1]
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn iso_month(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "March 13, 2025", the way bylines print it.
    pub fn written(self) -> String {
        format!("{} {}, {}", self.month_name(), self.day, self.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_known_weekdays() {
        let d = Date {
            year: 2025,
            month: 3,
            day: 11,
        };
        assert_eq!(Date::from_days(d.to_days()), d);
        assert_eq!(d.weekday_name(), "Tuesday");
        assert_eq!(d.add_days(-11).iso(), "2025-02-28");
        assert_eq!(d.add_months(-3).iso_month(), "2024-12");
        assert_eq!(d.written(), "March 11, 2025");
    }
}
