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
    static func horizontalBars(
        id: String, title: String, description: String, bars: [Bar], references: [Reference] = [],
        percent: Bool, legend: [(String, Fill)] = []
    ) -> String {
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
        patterns(id, into: &svg)
        text(x: 0, y: 18, title, size: 15, weight: "bold", into: &svg)
        var legendY = 38.0
        if !legend.isEmpty {
            legendRow(id: id, items: legend, x: 0, y: legendY, into: &svg)
            legendY += 20
        }
        for reference in references {
            referenceKey(reference, y: legendY, into: &svg)
            legendY += 18
        }
        // Grid and axis labels.
        for tick in scale.ticks {
            let tx = x(tick)
            line(tx, top, tx, top + plotHeight, stroke: "#bbbbbb", width: "0.5", into: &svg)
            text(x: tx, y: top + plotHeight + 16, numberText(tick, percent: percent), size: 11, anchor: "middle", into: &svg)
        }
        line(left, top, left, top + plotHeight, stroke: "#000000", width: "1", into: &svg)
        if sorted.isEmpty {
            text(x: left + 8, y: top + 15, "Chưa có số liệu", size: 13, into: &svg)
        }
        for (index, bar) in sorted.enumerated() {
            let y = top + row * Double(index)
            let label = shortened(bar.label, to: Int((labelWidth - 12) / 6.4))
            svg.start(
                "text", .init("x", labelWidth), .init("y", y + 15), .init("font-family", font), .init("font-size", "12"),
                .init("fill", "#000000"), .init("text-anchor", "end"))
            svg.element("title", text: "\(bar.label): \(bar.valueText)")
            svg.text(label)
            svg.end("text")
            let barWidth = max(0, x(bar.value) - left)
            svg.empty(
                "rect", .init("x", left), .init("y", y + 4), .init("width", barWidth), .init("height", "14"),
                .init("fill", bar.fill.paint(id)), .init("stroke", "#000000"), .init("stroke-width", "0.8"))
            text(x: left + barWidth + 4, y: y + 15, bar.valueText, size: 12, into: &svg)
        }
        for reference in references where reference.value <= scale.max {
            let rx = x(reference.value)
            svg.start(
                "line", .init("x1", rx), .init("y1", top - 4), .init("x2", rx), .init("y2", top + plotHeight + 2),
                .init("stroke", "#000000"), .init("stroke-width", "2"), .init("stroke-dasharray", "6 3"))
            svg.element("title", text: reference.label)
            svg.end("line")
        }
        svg.end("svg")
        return svg.html
    }

    // MARK: Line: one indicator over periods

    static func line(id: String, title: String, description: String, points: [Point], references: [Reference] = [], percent: Bool) -> String
    {
        let step = 130.0
        let left = 64.0, right = 30.0
        let width = max(560.0, left + right + step * Double(max(points.count, 1)))
        let top = 40.0 + 18 * Double(references.count), plotHeight = 220.0
        let height = top + plotHeight + 56
        let scale = axis(max: (points.compactMap(\.value) + references.map(\.value)).max() ?? 0, percent: percent)
        func x(_ index: Int) -> Double { left + step / 2 + step * Double(index) }
        func y(_ value: Double) -> Double { top + plotHeight - plotHeight * max(0, min(value, scale.max)) / scale.max }

        var svg = open(id: id, width: width, height: height, title: title, description: description)
        text(x: 0, y: 18, title, size: 15, weight: "bold", into: &svg)
        var legendY = 38.0
        for reference in references {
            referenceKey(reference, y: legendY, into: &svg)
            legendY += 18
        }
        for tick in scale.ticks {
            line(left, y(tick), width - right, y(tick), stroke: "#bbbbbb", width: "0.5", into: &svg)
            text(x: left - 6, y: y(tick) + 4, numberText(tick, percent: percent), size: 11, anchor: "end", into: &svg)
        }
        line(left, top + plotHeight, width - right, top + plotHeight, stroke: "#000000", width: "1", into: &svg)
        for reference in references where reference.value <= scale.max {
            let ry = y(reference.value)
            svg.start(
                "line", .init("x1", left), .init("y1", ry), .init("x2", width - right), .init("y2", ry),
                .init("stroke", "#000000"), .init("stroke-width", "1.5"), .init("stroke-dasharray", "6 3"))
            svg.element("title", text: reference.label)
            svg.end("line")
        }
        if points.allSatisfy({ $0.value == nil }) {
            text(x: left + 8, y: top + plotHeight / 2, "Chưa có số liệu", size: 13, into: &svg)
        }
        // A form change between two points: a dotted divider naming the new version.
        for index in points.indices.dropFirst() where points[index].group != points[index - 1].group {
            let dx = (x(index - 1) + x(index)) / 2
            svg.empty(
                "line", .init("x1", dx), .init("y1", top - 6), .init("x2", dx), .init("y2", top + plotHeight),
                .init("stroke", "#000000"), .init("stroke-width", "1"), .init("stroke-dasharray", "2 3"))
            text(x: dx + 4, y: top + 6, "Từ đây: \(points[index].group)", size: 11, style: "italic", into: &svg)
        }
        // Segments join consecutive periods that have values; a gap stays a gap.
        var segment: [String] = []
        func flush() {
            if segment.count > 1 {
                svg.empty(
                    "polyline", .init("points", segment.joined(separator: " ")), .init("fill", "none"),
                    .init("stroke", "#000000"), .init("stroke-width", "2"))
            }
            segment = []
        }
        for (index, point) in points.enumerated() {
            guard let value = point.value else { flush(); continue }
            segment.append("\(HTMLWriter.coordinate(x(index))),\(HTMLWriter.coordinate(y(value)))")
        }
        flush()
        for (index, point) in points.enumerated() {
            if let value = point.value {
                svg.start("circle", .init("cx", x(index)), .init("cy", y(value)), .init("r", "4"), .init("fill", "#000000"))
                svg.element("title", text: "\(point.label): \(point.valueText)")
                svg.end("circle")
                text(x: x(index), y: y(value) - 9, point.valueText, size: 12, anchor: "middle", weight: "bold", into: &svg)
            }
            wrapped(point.label, x: x(index), y: top + plotHeight + 18, width: Int(step / 7), into: &svg)
        }
        svg.end("svg")
        return svg.html
    }

    // MARK: Grouped vertical bars: statuses, targets per group

    /// `values[category][series]`, counts.
    static func groupedBars(id: String, title: String, description: String, categories: [String], series: [Series], values: [[Double]])
        -> String
    {
        let barWidth = 26.0, gap = 34.0
        let groupWidth = barWidth * Double(max(series.count, 1)) + gap
        let left = 50.0, right = 20.0
        let width = max(520.0, left + right + groupWidth * Double(max(categories.count, 1)))
        let top = 62.0, plotHeight = 200.0
        let height = top + plotHeight + 58
        let scale = axis(max: values.flatMap { $0 }.max() ?? 0, percent: false, integers: true)
        func y(_ value: Double) -> Double { top + plotHeight - plotHeight * max(0, min(value, scale.max)) / scale.max }

        var svg = open(id: id, width: width, height: height, title: title, description: description)
        patterns(id, into: &svg)
        text(x: 0, y: 18, title, size: 15, weight: "bold", into: &svg)
        legendRow(id: id, items: series.map { ($0.name, $0.fill) }, x: 0, y: 42, into: &svg)
        for tick in scale.ticks {
            line(left, y(tick), width - right, y(tick), stroke: "#bbbbbb", width: "0.5", into: &svg)
            text(x: left - 6, y: y(tick) + 4, numberText(tick, percent: false), size: 11, anchor: "end", into: &svg)
        }
        line(left, top + plotHeight, width - right, top + plotHeight, stroke: "#000000", width: "1", into: &svg)
        for (c, category) in categories.enumerated() {
            let x0 = left + gap / 2 + groupWidth * Double(c)
            for (s, item) in series.enumerated() {
                let value = c < values.count && s < values[c].count ? values[c][s] : 0
                let bx = x0 + barWidth * Double(s)
                let by = y(value)
                svg.start(
                    "rect", .init("x", bx), .init("y", by), .init("width", barWidth - 3), .init("height", top + plotHeight - by),
                    .init("fill", item.fill.paint(id)), .init("stroke", "#000000"), .init("stroke-width", "0.8"))
                svg.element("title", text: "\(category) — \(item.name): \(numberText(value, percent: false))")
                svg.end("rect")
                text(x: bx + (barWidth - 3) / 2, y: by - 4, numberText(value, percent: false), size: 11, anchor: "middle", into: &svg)
            }
            wrapped(category, x: x0 + (groupWidth - gap) / 2, y: top + plotHeight + 16, width: max(10, Int(groupWidth / 6.5)), into: &svg)
        }
        svg.end("svg")
        return svg.html
    }

    // MARK: Pieces

    static func open(id: String, width: Double, height: Double, title: String, description: String) -> HTMLWriter {
        var svg = HTMLWriter(reservingCapacity: 8_192, xml: true)
        let size = "0 0 \(HTMLWriter.coordinate(width)) \(HTMLWriter.coordinate(height))"
        svg.start(
            "svg", .init("xmlns", "http://www.w3.org/2000/svg"), .init("id", id), .init("class", "chart"), .init("role", "img"),
            .init("width", width), .init("height", height), .init("viewBox", size),
            .init("aria-labelledby", "\(id)-title \(id)-desc"))
        svg.element("title", .init("id", id + "-title"), text: title)
        svg.element("desc", .init("id", id + "-desc"), text: description)
        return svg
    }

    /// Hatching and dots, named per chart so several charts share a page.
    static func patterns(_ id: String, into svg: inout HTMLWriter) {
        svg.start("defs")
        svg.start(
            "pattern", .init("id", id + "-hatch"), .init("width", "6"), .init("height", "6"),
            .init("patternUnits", "userSpaceOnUse"), .init("patternTransform", "rotate(45)"))
        svg.markup(
            "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000000\" stroke-width=\"2.5\"/>"
        )
        svg.end("pattern")
        svg.start("pattern", .init("id", id + "-dots"), .init("width", "5"), .init("height", "5"), .init("patternUnits", "userSpaceOnUse"))
        svg.markup("<rect width=\"5\" height=\"5\" fill=\"#ffffff\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"#000000\"/>")
        svg.end("pattern")
        svg.start(
            "pattern", .init("id", id + "-crossHatch"), .init("width", "6"), .init("height", "6"),
            .init("patternUnits", "userSpaceOnUse"))
        svg.markup("<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#000000\" stroke-width=\"1\"/>")
        svg.end("pattern")
        svg.end("defs")
    }

    static func legendRow(id: String, items: [(String, Fill)], x: Double, y: Double, into svg: inout HTMLWriter) {
        var cursor = x
        for (name, fill) in items {
            svg.empty(
                "rect", .init("x", cursor), .init("y", y - 11), .init("width", "14"), .init("height", "14"),
                .init("fill", fill.paint(id)), .init("stroke", "#000000"), .init("stroke-width", "0.8"))
            text(x: cursor + 19, y: y, name, size: 12, into: &svg)
            cursor += 30 + Double(name.count) * 6.4
        }
    }

    /// The dashed key of a reference line, with its label.
    static func referenceKey(_ reference: Reference, y: Double, into svg: inout HTMLWriter) {
        svg.empty(
            "line", .init("x1", "0"), .init("y1", y - 4), .init("x2", "24"), .init("y2", y - 4),
            .init("stroke", "#000000"), .init("stroke-width", "2"), .init("stroke-dasharray", "6 3"))
        text(x: 30, y: y, reference.label, size: 12, into: &svg)
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: String, into svg: inout HTMLWriter) {
        svg.empty(
            "line", .init("x1", x1), .init("y1", y1), .init("x2", x2), .init("y2", y2),
            .init("stroke", stroke), .init("stroke-width", width))
    }

    static func text(
        x: Double, y: Double, _ content: String, size: Int, anchor: String = "start", weight: String = "normal",
        style: String = "normal", into svg: inout HTMLWriter
    ) {
        svg.element(
            "text", .init("x", x), .init("y", y), .init("font-family", font), .init("font-size", size),
            .init("fill", "#000000"), .init("text-anchor", anchor),
            .when(weight != "normal", .init("font-weight", weight)), .when(style != "normal", .init("font-style", style)),
            text: content)
    }

    /// A label broken into at most two lines of about `width` characters.
    static func wrapped(_ label: String, x: Double, y: Double, width: Int, into svg: inout HTMLWriter) {
        svg.start(
            "text", .init("x", x), .init("y", y), .init("font-family", font), .init("font-size", "11"),
            .init("fill", "#000000"), .init("text-anchor", "middle"))
        for (index, line) in wrap(label, width: width).enumerated() {
            svg.element("tspan", .init("x", x), .init("dy", index == 0 ? "0" : "13"), text: line)
        }
        svg.end("text")
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
}
