/// The rows of the data-entry grid (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi
/// chú), written in Swift from the typed rows of `ReportPage`. In a Leaf loop
/// these 60 rows took about half of the page's time; report.leaf includes
/// the result with `#unsafeHTML`, and `HTMLWriter` escapes every value in it.
enum FormGridHTML {
    static func render(_ rows: [ReportPage.Row], editable: Bool) -> String {
        var w = HTMLWriter(reservingCapacity: rows.count * 700)
        for row in rows {
            var rowClass = "depth-\(row.depth)"
            if row.isHeading { rowClass += " heading" }
            if row.hasError { rowClass += " has-error" }
            if row.hasWarning { rowClass += " has-warning" }
            if row.missingRequired { rowClass += " missing-required" }
            if !row.applies && !row.isHeading { rowClass += " not-applicable" }
            w.start("tr", .init("class", rowClass), .init("data-code", row.code)); w.markup("\n")
            w.element("td", .init("class", "stt"), text: row.label); w.markup("\n")
            w.start("td", .init("class", "name")); w.text(row.name)
            if let note = row.note, !note.isEmpty { w.element("div", .init("class", "hint"), text: note) }
            w.markup("\n")
            for problem in row.problems {
                let problemClass = "problem " + problem.severity + (problem.acknowledged ? " acknowledged" : "")
                w.start("div", .init("class", problemClass), .init("role", "alert"))
                w.text(problem.label); w.markup(": "); w.text(problem.message); w.end("div")
            }
            // While drafting, an empty required row is a reminder, not an alert.
            if row.missingRequired { w.element("div", .init("class", "reminder"), text: "Bắt buộc, chưa nhập"); w.markup("\n") }
            w.end("td"); w.markup("\n")
            w.element("td", .init("class", "unit"), text: row.unitLabel); w.markup("\n")
            w.start("td", .init("class", "value")); w.markup("\n")
            if row.isHeading {
            } else if !row.applies {
                // Another level's row: its stored value (if any) as text, never an input.
                if !row.raw.isEmpty { w.element("span", .init("class", "stored"), text: row.raw) }
                w.element("div", .init("class", "hint"), text: "Không thuộc cấp báo cáo của đơn vị"); w.markup("\n")
            } else if row.isComputed {
                computed(row, editable: editable, into: &w)
            } else if row.isCoded {
                choices(row, editable: editable, into: &w)
            } else {
                w.start(
                    "input", .init("name", "v[\(row.code)]"), .init("value", row.raw), .init("inputmode", "decimal"),
                    .init("aria-label", "\(row.code) \(row.name)"), .init("data-code", row.code),
                    .optional("data-part-of", row.partOf), .when(row.percent, .init("data-percent", 1)),
                    .when(row.isRequired, .init("aria-required", "true")), .flag("readonly", !editable))
                w.markup("\n")
                if let from = row.computedFrom { w.element("div", .init("class", "hint computed-from"), text: from); w.markup("\n") }
            }
            w.end("td"); w.markup("\n")
            w.start("td", .init("class", "note"))
            if !row.isHeading && row.applies {
                w.start(
                    "input", .init("name", "n[\(row.code)]"), .init("value", row.userNote),
                    .init("aria-label", "Ghi chú \(row.code)"), .flag("readonly", !editable))
            }
            w.end("td"); w.markup("\n")
            w.end("tr"); w.markup("\n")
        }
        return w.html
    }

    /// A row the form computes: the result, its formula, and the entered value kept for the save.
    private static func computed(_ row: ReportPage.Row, editable: Bool, into w: inout HTMLWriter) {
        let formula = row.formula ?? ""
        w.element("output", .init("data-formula", formula), .init("data-entered", row.raw), text: row.computed ?? row.raw)
        w.markup("\n")
        w.element("div", .init("class", "hint"), text: "= " + formula); w.markup("\n")
        if editable {
            w.start("input", .init("type", "hidden"), .init("name", "v[\(row.code)]"), .init("value", row.raw)); w.markup("\n")
        }
    }

    /// A coded row: a choice among the form's values.
    private static func choices(_ row: ReportPage.Row, editable: Bool, into w: inout HTMLWriter) {
        w.start(
            "select", .init("name", "v[\(row.code)]"), .flag("disabled", !editable), .init("aria-label", "\(row.code) \(row.name)"),
            .when(row.isRequired, .init("aria-required", "true")))
        w.element("option", .init("value", ""), text: "—")
        for choice in row.choices {
            w.element("option", .init("value", choice.value), .flag("selected", choice.selected), text: choice.label)
        }
        w.end("select"); w.markup("\n")
    }
}
