import Foundation
import ReportingCore

/// Charts drawn on the server as SVG text. No script and no `style`
/// attribute (the CSP allows neither): presentation attributes only. Text is
/// black and bars are dark or hatched with a black outline, so a printout on
/// an office black-and-white printer still reads. Every chart is placed next
/// to a table with the same numbers; the picture never carries data alone.
enum SVGChart {
    /// Bar fills that stay distinct in black and white.
    enum Fill: Int, CaseIterable, Sendable {
        case solid, hatch, grey, dots, crossHatch, white

        func paint(_ chart: String) -> String {
            switch self {
            case .solid: return "#1a1a1a"
            case .grey: return "#6e6e6e"
            case .white: return "#ffffff"
            case .hatch, .dots, .crossHatch: return "url(#\(chart)-\(self))"
            }
        }
    }

    struct Bar: Sendable {
        var label: String
        var value: Double
        var valueText: String
        var fill: Fill = .solid
    }

    /// A line across the chart at a value: a plan's target.
    struct Reference: Sendable {
        var value: Double
        var label: String
    }

    struct Point: Sendable {
        var label: String
        var value: Double?
        var valueText: String
        /// The form version the value comes from; a change is marked on the chart.
        var group: String
    }

    struct Series: Sendable {
        var name: String
        var fill: Fill
    }

    static let font = "Times New Roman, Noto Serif, serif"

    // MARK: Horizontal bars: one indicator across units

    /// Sorted largest first, with dashed reference lines for targets.
    static func horizontalBars(id: String, title: String, description: String, bars: [Bar], references: [Reference] = [],
                               percent: Bool, legend: [(String, Fill)] = []) -> String {
        let sorted = bars.enumerated().sorted { ($0.element.value, -$0.offset) > ($1.element.value, -$1.offset) }.map(\.element)
        let width = 760.0
        let longest = sorted.map(\.label.count).max() ?? 10
        let labelWidth = min(300.0, max(110.0, Double(longest) * 6.4 + 12))
        let left = labelWidth + 8, right = 70.0
        let top = 34.0 + (legend.isEmpty ? 0 : 20) + (references.isEmpty ? 0 : 18 * Double(references.count))
        let row = 22.0
        let plotHeight = max(row, row * Double(sorted.count))
        let height = top + plotHeight + 34
        let scale = axis(max: (sorted.map(\.value) + references.map(\.value)).max() ?? 0, percent: percent)
        let plotWidth = width - left - right
        func x(_ value: Double) -> Double { left + plotWidth * max(0, min(value, scale.max)) / scale.max }

        var svg = open(id: id, width: width, height: height, title: title, description: description)
        svg += patterns(id)
        svg += text(x: 0, y: 18, title, size: 15, weight: "bold")
        var legendY = 38.0
        if !legend.isEmpty {
            svg += legendRow(id: id, items: legend, x: 0, y: legendY)
            legendY += 20
        }
        for reference in references {
            svg += "<line x1=\"0\" y1=\"\(n(legendY - 4))\" x2=\"24\" y2=\"\(n(legendY - 4))\" stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
            svg += text(x: 30, y: legendY, reference.label, size: 12)
            legendY += 18
        }
        // Grid and axis labels.
        for tick in scale.ticks {
            let tx = x(tick)
            svg += "<line x1=\"\(n(tx))\" y1=\"\(n(top))\" x2=\"\(n(tx))\" y2=\"\(n(top + plotHeight))\" stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>"
            svg += text(x: tx, y: top + plotHeight + 16, numberText(tick, percent: percent), size: 11, anchor: "middle")
        }
        svg += "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + plotHeight))\" stroke=\"#000000\" stroke-width=\"1\"/>"
        if sorted.isEmpty {
            svg += text(x: left + 8, y: top + 15, "Chưa có số liệu", size: 13)
        }
        for (index, bar) in sorted.enumerated() {
            let y = top + row * Double(index)
            let label = shortened(bar.label, to: Int((labelWidth - 12) / 6.4))
            svg += "<text x=\"\(n(labelWidth))\" y=\"\(n(y + 15))\" font-family=\"\(font)\" font-size=\"12\" fill=\"#000000\" text-anchor=\"end\">"
            svg += "<title>\(escape(bar.label)): \(escape(bar.valueText))</title>\(escape(label))</text>"
            let barWidth = max(0, x(bar.value) - left)
            svg += "<rect x=\"\(n(left))\" y=\"\(n(y + 4))\" width=\"\(n(barWidth))\" height=\"14\" fill=\"\(bar.fill.paint(id))\" stroke=\"#000000\" stroke-width=\"0.8\"/>"
            svg += text(x: left + barWidth + 4, y: y + 15, bar.valueText, size: 12)
        }
        for reference in references where reference.value <= scale.max {
            let rx = x(reference.value)
            svg += "<line x1=\"\(n(rx))\" y1=\"\(n(top - 4))\" x2=\"\(n(rx))\" y2=\"\(n(top + plotHeight + 2))\" stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6 3\"><title>\(escape(reference.label))</title></line>"
        }
        return svg + "</svg>"
    }

    // MARK: Line: one indicator over periods

    static func line(id: String, title: String, description: String, points: [Point], references: [Reference] = [], percent: Bool) -> String {
        let step = 130.0
        let left = 64.0, right = 30.0
        let width = max(560.0, left + right + step * Double(max(points.count, 1)))
        let top = 40.0 + 18 * Double(references.count), plotHeight = 220.0
        let height = top + plotHeight + 56
        let scale = axis(max: (points.compactMap(\.value) + references.map(\.value)).max() ?? 0, percent: percent)
        func x(_ index: Int) -> Double { left + step / 2 + step * Double(index) }
        func y(_ value: Double) -> Double { top + plotHeight - plotHeight * max(0, min(value, scale.max)) / scale.max }

        var svg = open(id: id, width: width, height: height, title: title, description: description)
        svg += text(x: 0, y: 18, title, size: 15, weight: "bold")
        var legendY = 38.0
        for reference in references {
            svg += "<line x1=\"0\" y1=\"\(n(legendY - 4))\" x2=\"24\" y2=\"\(n(legendY - 4))\" stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
            svg += text(x: 30, y: legendY, reference.label, size: 12)
            legendY += 18
        }
        for tick in scale.ticks {
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y(tick)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(tick)))\" stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>"
            svg += text(x: left - 6, y: y(tick) + 4, numberText(tick, percent: percent), size: 11, anchor: "end")
        }
        svg += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(width - right))\" y2=\"\(n(top + plotHeight))\" stroke=\"#000000\" stroke-width=\"1\"/>"
        for reference in references where reference.value <= scale.max {
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y(reference.value)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(reference.value)))\" stroke=\"#000000\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"><title>\(escape(reference.label))</title></line>"
        }
        if points.allSatisfy({ $0.value == nil }) {
            svg += text(x: left + 8, y: top + plotHeight / 2, "Chưa có số liệu", size: 13)
        }
        // A form change between two points: a dotted divider naming the new version.
        for index in points.indices.dropFirst() where points[index].group != points[index - 1].group {
            let dx = (x(index - 1) + x(index)) / 2
            svg += "<line x1=\"\(n(dx))\" y1=\"\(n(top - 6))\" x2=\"\(n(dx))\" y2=\"\(n(top + plotHeight))\" stroke=\"#000000\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>"
            svg += text(x: dx + 4, y: top + 6, "Từ đây: \(points[index].group)", size: 11, style: "italic")
        }
        // Segments join consecutive periods that have values; a gap stays a gap.
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { svg += "<polyline points=\"\(segment.joined(separator: " "))\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>" }
            segment = []
        }
        for (index, point) in points.enumerated() {
            guard let value = point.value else { flush(); continue }
            segment.append("\(n(x(index))),\(n(y(value)))")
        }
        flush()
        for (index, point) in points.enumerated() {
            if let value = point.value {
                svg += "<circle cx=\"\(n(x(index)))\" cy=\"\(n(y(value)))\" r=\"4\" fill=\"#000000\"><title>\(escape(point.label)): \(escape(point.valueText))</title></circle>"
                svg += text(x: x(index), y: y(value) - 9, point.valueText, size: 12, anchor: "middle", weight: "bold")
            }
            svg += wrapped(point.label, x: x(index), y: top + plotHeight + 18, width: Int(step / 7))
        }
        return svg + "</svg>"
    }

    // MARK: Grouped vertical bars: statuses, targets per group

    /// `values[category][series]`, counts.
    static func groupedBars(id: String, title: String, description: String, categories: [String], series: [Series], values: [[Double]]) -> String {
        let barWidth = 26.0, gap = 34.0
        let groupWidth = barWidth * Double(max(series.count, 1)) + gap
        let left = 50.0, right = 20.0
        let width = max(520.0, left + right + groupWidth * Double(max(categories.count, 1)))
        let top = 62.0, plotHeight = 200.0
        let height = top + plotHeight + 58
        let scale = axis(max: values.flatMap { $0 }.max() ?? 0, percent: false, integers: true)
        func y(_ value: Double) -> Double { top + plotHeight - plotHeight * max(0, min(value, scale.max)) / scale.max }

        var svg = open(id: id, width: width, height: height, title: title, description: description)
        svg += patterns(id)
        svg += text(x: 0, y: 18, title, size: 15, weight: "bold")
        svg += legendRow(id: id, items: series.map { ($0.name, $0.fill) }, x: 0, y: 42)
        for tick in scale.ticks {
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y(tick)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(tick)))\" stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>"
            svg += text(x: left - 6, y: y(tick) + 4, numberText(tick, percent: false), size: 11, anchor: "end")
        }
        svg += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(width - right))\" y2=\"\(n(top + plotHeight))\" stroke=\"#000000\" stroke-width=\"1\"/>"
        for (c, category) in categories.enumerated() {
            let x0 = left + gap / 2 + groupWidth * Double(c)
            for (s, item) in series.enumerated() {
                let value = c < values.count && s < values[c].count ? values[c][s] : 0
                let bx = x0 + barWidth * Double(s)
                let by = y(value)
                svg += "<rect x=\"\(n(bx))\" y=\"\(n(by))\" width=\"\(n(barWidth - 3))\" height=\"\(n(top + plotHeight - by))\" fill=\"\(item.fill.paint(id))\" stroke=\"#000000\" stroke-width=\"0.8\">"
                svg += "<title>\(escape(category)) — \(escape(item.name)): \(escape(numberText(value, percent: false)))</title></rect>"
                svg += text(x: bx + (barWidth - 3) / 2, y: by - 4, numberText(value, percent: false), size: 11, anchor: "middle")
            }
            svg += wrapped(category, x: x0 + (groupWidth - gap) / 2, y: top + plotHeight + 16, width: max(10, Int(groupWidth / 6.5)))
        }
        return svg + "</svg>"
    }

    // MARK: Pieces

    static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(escape(id))\" class=\"chart\" role=\"img\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "viewBox=\"0 0 \(n(width)) \(n(height))\" aria-labelledby=\"\(escape(id))-title \(escape(id))-desc\">"
            + "<title id=\"\(escape(id))-title\">\(escape(title))</title><desc id=\"\(escape(id))-desc\">\(escape(description))</desc>"
    }

    /// Hatching and dots, named per chart so several charts share a page.
    static func patterns(_ id: String) -> String {
        "<defs>"
            + "<pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000000\" stroke-width=\"2.5\"/></pattern>"
            + "<pattern id=\"\(id)-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
            + "<rect width=\"5\" height=\"5\" fill=\"#ffffff\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"#000000\"/></pattern>"
            + "<pattern id=\"\(id)-crossHatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#000000\" stroke-width=\"1\"/></pattern>"
            + "</defs>"
    }

    static func legendRow(id: String, items: [(String, Fill)], x: Double, y: Double) -> String {
        var svg = ""
        var cursor = x
        for (name, fill) in items {
            svg += "<rect x=\"\(n(cursor))\" y=\"\(n(y - 11))\" width=\"14\" height=\"14\" fill=\"\(fill.paint(id))\" stroke=\"#000000\" stroke-width=\"0.8\"/>"
            svg += text(x: cursor + 19, y: y, name, size: 12)
            cursor += 30 + Double(name.count) * 6.4
        }
        return svg
    }

    static func text(x: Double, y: Double, _ content: String, size: Int, anchor: String = "start", weight: String = "normal", style: String = "normal") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" font-family=\"\(font)\" font-size=\"\(size)\" fill=\"#000000\" text-anchor=\"\(anchor)\""
            + (weight == "normal" ? "" : " font-weight=\"\(weight)\"") + (style == "normal" ? "" : " font-style=\"\(style)\"")
            + ">\(escape(content))</text>"
    }

    /// A label broken into at most two lines of about `width` characters.
    static func wrapped(_ label: String, x: Double, y: Double, width: Int) -> String {
        let lines = wrap(label, width: width)
        var svg = "<text x=\"\(n(x))\" y=\"\(n(y))\" font-family=\"\(font)\" font-size=\"11\" fill=\"#000000\" text-anchor=\"middle\">"
        for (index, line) in lines.enumerated() {
            svg += "<tspan x=\"\(n(x))\" dy=\"\(index == 0 ? "0" : "13")\">\(escape(line))</tspan>"
        }
        return svg + "</text>"
    }

    static func wrap(_ label: String, width: Int) -> [String] {
        guard label.count > width else { return [label] }
        var first = "", rest: [Substring] = []
        let words = label.split(separator: " ")
        for (index, word) in words.enumerated() {
            let candidate = first.isEmpty ? String(word) : first + " " + word
            if candidate.count > width && !first.isEmpty { rest = Array(words[index...]); break }
            first = candidate
        }
        let second = rest.joined(separator: " ")
        return second.isEmpty ? [first] : [first, shortened(second, to: width)]
    }

    static func shortened(_ label: String, to length: Int) -> String {
        label.count <= length ? label : String(label.prefix(max(1, length - 1))) + "…"
    }

    struct Axis {
        var max: Double
        var ticks: [Double]
    }

    /// A round axis maximum and 4–6 ticks; percentages stop at 100 when they can.
    static func axis(max value: Double, percent: Bool, integers: Bool = false) -> Axis {
        if percent && value <= 100 { return Axis(max: 100, ticks: [0, 25, 50, 75, 100]) }
        let top = Swift.max(value, integers ? 4 : 1)
        let raw = top / 5
        let magnitude = pow(10, floor(log10(raw)))
        var step = magnitude
        for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= raw { step = factor * magnitude; break }
        if integers { step = Swift.max(1, step.rounded(.up)) }
        let maximum = (top / step).rounded(.up) * step
        return Axis(max: maximum, ticks: stride(from: 0, through: maximum + step / 2, by: step).map { $0 })
    }

    static func numberText(_ value: Double, percent: Bool) -> String {
        VietnameseNumber.format(value, decimals: 2) + (percent ? "%" : "")
    }

    /// Coordinates with a dot and one decimal, whatever the locale.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// Text and attribute values escaped as on the HTML pages (`HTMLWriter`),
    /// without the control characters XML 1.0 does not allow.
    static func escape(_ text: String) -> String {
        HTMLWriter.escape(String(text.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" }.map(Character.init)))
    }
}
