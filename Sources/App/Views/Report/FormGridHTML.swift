/// The rows of the data-entry grid (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi
/// chú), written in Swift from the typed rows of `ReportPage`. In a Leaf loop
/// these 60 rows took about half of the page's time; report.leaf includes
/// the result with `#unsafeHTML`, and every value in it is escaped here.
enum FormGridHTML {
    static func render(_ rows: [ReportPage.Row], editable: Bool) -> String {
        var w = HTMLWriter(reservingCapacity: rows.count * 700)
        for row in rows {
            w.raw("<tr class=\"depth-"); w.text(row.depth)
            if row.isHeading { w.raw(" heading") }
            if row.hasError { w.raw(" has-error") }
            if row.hasWarning { w.raw(" has-warning") }
            w.raw("\" data-code=\""); w.text(row.code); w.raw("\">\n")
            w.raw("<td class=\"stt\">"); w.text(row.label); w.raw("</td>\n")
            w.raw("<td class=\"name\">"); w.text(row.name)
            if let note = row.note, !note.isEmpty { w.raw("<div class=\"hint\">"); w.text(note); w.raw("</div>") }
            w.raw("\n")
            for problem in row.problems {
                w.raw("<div class=\"problem "); w.text(problem.severity)
                if problem.acknowledged { w.raw(" acknowledged") }
                w.raw("\" role=\"alert\">"); w.text(problem.label); w.raw(": "); w.text(problem.message); w.raw("</div>")
            }
            w.raw("</td>\n<td class=\"unit\">"); w.text(row.unitLabel); w.raw("</td>\n<td class=\"value\">\n")
            if row.isHeading {
            } else if row.isComputed {
                let formula = row.formula ?? ""
                w.raw("<output data-formula=\""); w.text(formula); w.raw("\" data-entered=\""); w.text(row.raw); w.raw("\">")
                w.text(row.computed ?? row.raw)
                w.raw("</output>\n<div class=\"hint\">= "); w.text(formula); w.raw("</div>\n")
                if editable {
                    w.raw("<input type=\"hidden\" name=\"v["); w.text(row.code); w.raw("]\" value=\""); w.text(row.raw); w.raw("\">\n")
                }
            } else if row.isCoded {
                w.raw("<select name=\"v["); w.text(row.code); w.raw("]\"")
                if !editable { w.raw(" disabled") }
                w.raw(" aria-label=\""); w.text(row.code); w.raw("\"><option value=\"\">—</option>")
                for choice in row.choices {
                    w.raw("<option value=\""); w.text(choice.value); w.raw("\"")
                    if choice.selected { w.raw(" selected") }
                    w.raw(">"); w.text(choice.label); w.raw("</option>")
                }
                w.raw("</select>\n")
            } else {
                w.raw("<input name=\"v["); w.text(row.code); w.raw("]\" value=\""); w.text(row.raw)
                w.raw("\" inputmode=\"decimal\" aria-label=\""); w.text(row.code); w.raw(" "); w.text(row.name)
                w.raw("\" data-code=\""); w.text(row.code); w.raw("\"")
                if let partOf = row.partOf, !partOf.isEmpty { w.raw(" data-part-of=\""); w.text(partOf); w.raw("\"") }
                if row.percent { w.raw(" data-percent=\"1\"") }
                if !editable || !row.applies { w.raw(" readonly") }
                w.raw(">")
                if !row.applies { w.raw("<div class=\"hint\">Không thuộc cấp báo cáo của đơn vị</div>") }
                w.raw("\n")
            }
            w.raw("</td>\n<td class=\"note\">")
            if !row.isHeading {
                w.raw("<input name=\"n["); w.text(row.code); w.raw("]\" value=\""); w.text(row.userNote)
                w.raw("\" aria-label=\"Ghi chú "); w.text(row.code); w.raw("\"")
                if !editable { w.raw(" readonly") }
                w.raw(">")
            }
            w.raw("</td>\n</tr>\n")
        }
        return w.html
    }
}
