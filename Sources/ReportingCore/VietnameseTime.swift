import Foundation

/// A moment as Vietnamese pages show it: "14/03/2024 09:05", in Vietnam's time zone.
public enum VietnameseTime {
    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CivilDate.vietnamTimeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d", c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// Midnight of a day in Vietnam's time zone.
    public static func startOfDay(_ day: CivilDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CivilDate.vietnamTimeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date.distantPast
    }
}
