import Foundation

@testable import OfficeFormats

/// Realistic sample files shared by the round-trip tests and the sample
/// writer (whose output the Python verifiers and LibreOffice check).
enum Samples {
    static let trickyStrings = [
        "Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc", "a & b < c > d \"q\" 'a'",
        "dòng 1\ndòng 2", "  khoảng trắng đầu", "khoảng trắng cuối  ", "tab\tgiữa", "]]> <![CDATA[x]]>",
        "_x0041_ không phải A", "📊 biểu đồ", "Vie\u{0302}\u{0323}t (NFD)", "", "=1+1 không phải công thức"
    ]

    /// A report sheet shaped like BaoCao's forms.
    static func reportWorkbook() -> XLSXWorkbook {
        var sheet = XLSXSheet(name: "Biểu 01-BC")
        sheet.append([.string("BÁO CÁO TÌNH HÌNH THỰC HIỆN CHỈ TIÊU NĂM 2024", .title)])
        sheet.append([.string("(Kèm theo Công văn số 123/UBND-VP ngày 01/02/2024)", .italic)])
        sheet.append([
            .string("STT", .header), .string("Chỉ tiêu", .header), .string("Mã", .header),
            .string("Đơn vị tính", .header), .string("Kế hoạch", .header), .string("Thực hiện", .header),
            .string("Tỷ lệ (%)", .header)
        ])
        let items: [(String, String, Int, String, Double, Double?)] = [
            ("I", "Dân số trung bình", 0, "Người", 1_609_226, 1_612_004),
            ("1", "Thành thị", 1, "Người", 512_300, 520_114.5),
            ("1.1", "Trong đó: nữ & trẻ em <15 tuổi", 2, "Người", 260_000, nil),
            ("1.1.1", "Trẻ em dưới 6 tuổi", 3, "Người", 95_000.25, 97_450.75),
            ("2", "Nông thôn", 1, "Người", 1_096_926, 1_091_889.5)
        ]
        for (i, item) in items.enumerated() {
            let r = sheet.rows.count + 1
            let label: XLSXStyle = item.2 == 0 ? .boldText : .indent(item.2)
            var row: [XLSXCell] = [
                .string(item.0, .centeredText), .string(item.1, label), .string("CT\(i + 1)", .centeredText),
                .string(item.3, .centeredText), .number(item.4, item.4 == item.4.rounded() ? .integer : .decimal)
            ]
            if let done = item.5 {
                row.append(.number(done, .inputDecimal))
                row.append(.formula("ROUND(F\(r)/E\(r)*100,2)", cached: .number((done / item.4 * 100 * 100).rounded() / 100), .percent))
            } else {
                row.append(.blank(.inputDecimal))
                row.append(.formula("IF(F\(r)=\"\",\"\",ROUND(F\(r)/E\(r)*100,2))", cached: .string(""), .percent))
            }
            sheet.append(row)
        }
        let last = sheet.rows.count
        sheet.append([
            .blank(.boldText), .string("Tổng cộng", .boldText), .blank(.boldText), .blank(.boldText),
            .formula("SUM(E5:E\(last))", cached: .number(items.dropFirst().reduce(0) { $0 + $1.4 }), .boldDecimal),
            .formula("SUM(F5:F\(last))", cached: .number(items.dropFirst().compactMap(\.5).reduce(0, +)), .boldDecimal),
            .boolean(true, .centeredText)
        ])
        sheet.append([
            .string("Ghi chú", .bold), .string("Nhập số liệu vào các ô màu vàng", .input), .blank(.input),
            .number(97.45, .inputInteger), .number(0.1 + 0.2, .plain), .number(-1e-7), .error("#DIV/0!")
        ])
        sheet.merges = [CellRange("A1:G1")!, CellRange("A2:G2")!]
        sheet.columns = [
            XLSXColumn(0, width: 7), XLSXColumn(1, width: 42), XLSXColumn(2, width: 8, isHidden: true),
            XLSXColumn(3, width: 12), XLSXColumn(4...6, width: 15)
        ]
        sheet.rowHeights = [0: 36, 2: 32]
        sheet.frozenAt = CellReference("C4")!
        sheet.isProtected = true
        sheet.printLandscape = true
        sheet.printFitToWidth = true

        var strings = XLSXSheet(name: "Chuỗi & ký tự")
        for (i, s) in trickyStrings.enumerated() {
            strings.append([.number(Double(i + 1)), .string(s, .text)])
        }
        strings.append([.string("control"), .string("a\u{0B}b\u{01}c")])

        var meta = XLSXSheet(name: "_meta", state: .veryHidden)
        meta.append([.string("form"), .string("BM01")])
        meta.append([.string("period"), .string("2024")])
        var hidden = XLSXSheet(name: "Ẩn", state: .hidden)
        hidden.append([.string("hidden sheet"), .number(1)])

        return XLSXWorkbook(
            sheets: [sheet, strings, meta, hidden],
            definedNames: [
                XLSXDefinedName(name: "BaoCao_MaBieu", refersTo: "\"BM01\"", isHidden: true),
                XLSXDefinedName(name: "BaoCao_Meta", refersTo: CellRange("A1:B2")!.formulaReference(sheetName: "_meta"), isHidden: true),
                XLSXDefinedName(name: "SoLieu", refersTo: CellRange("E4:F8")!.formulaReference(sheetName: "Biểu 01-BC"), sheetIndex: 0)
            ],
            properties: OfficeDocumentProperties(
                title: "Báo cáo chỉ tiêu 2024", creator: "UBND tỉnh Thử nghiệm",
                created: Date(timeIntervalSince1970: 1_706_745_600),
                custom: ["BaoCao.Form": "BM01", "BaoCao.Period": "2024", "BaoCao.Unit": "Sở Tài chính & Kế hoạch"]))
    }

    /// The big flat table used by the performance tests and bench.py
    /// (same formula there: integers in even columns, 2-decimal numbers in odd ones).
    static func benchTable(rows: Int = 11_000, columns: Int = 30) -> (header: [String], rows: [[XLSXValue]]) {
        OfficeBenchmark.sampleTable(rows: rows, columns: columns)
    }

    /// An official-letter-style report document.
    static func reportDocument() -> DOCXDocument {
        var doc = DOCXDocument(
            properties: OfficeDocumentProperties(
                title: "Báo cáo kết quả", creator: "BaoCao",
                created: Date(timeIntervalSince1970: 1_706_745_600)))
        let page = doc.page
        let leftWidth = 62.0, rightWidth = page.textWidth - 62.0
        doc.append(
            DOCXTable.documentHeader(
                left: [
                    DOCXParagraph("UBND TỈNH THỬ NGHIỆM", size: 26, alignment: .center),
                    DOCXParagraph("SỞ TÀI CHÍNH", bold: true, size: 26, alignment: .center),
                    .rule(width: 25, availableWidth: leftWidth),
                    DOCXParagraph("Số: 123/BC-STC", size: 26, alignment: .center, spacingBefore: 6)
                ],
                right: [
                    DOCXParagraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 26, alignment: .center),
                    DOCXParagraph("Độc lập - Tự do - Hạnh phúc", bold: true, size: 28, alignment: .center),
                    .rule(width: 60, availableWidth: rightWidth),
                    DOCXParagraph("Thử nghiệm, ngày 01 tháng 02 năm 2024", italic: true, size: 28, alignment: .center, spacingBefore: 6)
                ],
                widths: (leftWidth, rightWidth)))
        doc.append(DOCXParagraph("BÁO CÁO", bold: true, alignment: .center, spacingBefore: 18))
        doc.append(DOCXParagraph("Kết quả thực hiện chỉ tiêu kinh tế - xã hội năm 2024", bold: true, alignment: .center))
        doc.append(.rule(width: 40, availableWidth: page.textWidth))
        let body =
            "Thực hiện Công văn số 45/UBND-TH ngày 10/01/2024 của Ủy ban nhân dân tỉnh về việc báo cáo tình hình thực hiện chỉ tiêu năm 2024, Sở Tài chính báo cáo như sau:"
        doc.append(DOCXParagraph(body, alignment: .justify, firstLineIndent: 12.7, spacingBefore: 12, spacingAfter: 6, lineSpacing: 1.15))
        doc.append(
            DOCXParagraph(
                runs: [DOCXRun("1. Tình hình chung", bold: true)], alignment: .justify, firstLineIndent: 12.7, spacingAfter: 6,
                keepWithNext: true))
        for i in 1...3 {
            doc.append(
                DOCXParagraph(
                    runs: [
                        DOCXRun("Nội dung đoạn \(i): "), DOCXRun("dân số trung bình đạt 1.609.226 người", italic: true),
                        DOCXRun(", tỷ lệ hoàn thành 97,45% kế hoạch & vượt <mục tiêu>. "),
                        DOCXRun("Ghi chú gạch chân.", underline: true)
                    ],
                    alignment: .justify, firstLineIndent: 12.7, spacingAfter: 6, lineSpacing: 1.15))
        }
        var table = DOCXTable(columnWidths: [15, 67, 25, 29, 29])
        let grey = "D9D9D9"
        table.rows.append(
            DOCXTableRow(
                [
                    DOCXTableCell("STT", bold: true, alignment: .center, verticalMerge: .restart, shading: grey),
                    DOCXTableCell("Chỉ tiêu", bold: true, alignment: .center, verticalMerge: .restart, shading: grey),
                    DOCXTableCell("Đơn vị tính", bold: true, alignment: .center, verticalMerge: .restart, shading: grey),
                    DOCXTableCell("Số liệu", bold: true, alignment: .center, columnSpan: 2, shading: grey)
                ],
                repeatsAsHeader: true))
        table.rows.append(
            DOCXTableRow(
                [
                    .mergedBelow(shading: grey), .mergedBelow(shading: grey), .mergedBelow(shading: grey),
                    DOCXTableCell("Kế hoạch", bold: true, alignment: .center, shading: grey),
                    DOCXTableCell("Thực hiện", bold: true, alignment: .center, shading: grey)
                ], repeatsAsHeader: true))
        let data: [(String, String, String, String, String)] = [
            ("1", "Dân số trung bình", "Người", "1.609.226", "1.612.004"),
            ("2", "Tỷ lệ hộ nghèo", "%", "2,50", "2,31"),
            ("3", "Thu ngân sách", "Triệu đồng", "12.500.000", "12.180.455")
        ]
        for d in data {
            table.rows.append(
                DOCXTableRow([
                    DOCXTableCell(d.0, alignment: .center), DOCXTableCell(d.1),
                    DOCXTableCell(d.2, alignment: .center), DOCXTableCell(d.3, alignment: .right),
                    DOCXTableCell(d.4, alignment: .right)
                ]))
        }
        doc.append(DOCXParagraph("Bảng 1. Kết quả thực hiện", bold: true, alignment: .center, spacingBefore: 6, spacingAfter: 6))
        doc.append(table)
        doc.appendPageBreak()
        doc.append(
            DOCXParagraph(
                runs: [DOCXRun("2. Kiến nghị, đề xuất", bold: true)], alignment: .justify, firstLineIndent: 12.7, spacingBefore: 6,
                spacingAfter: 6))
        for i in 1...25 {
            doc.append(
                DOCXParagraph(
                    "Đề xuất số \(i): tiếp tục rà soát, cập nhật số liệu và hoàn thiện hệ thống báo cáo định kỳ trên môi trường điện tử theo quy định.",
                    alignment: .justify, firstLineIndent: 12.7, spacingAfter: 6, lineSpacing: 1.15))
        }
        doc.append(
            DOCXTable.documentHeader(
                left: [
                    DOCXParagraph(runs: [DOCXRun("Nơi nhận:", bold: true, italic: true, size: 24)]),
                    DOCXParagraph("- UBND tỉnh (để b/c);", size: 22), DOCXParagraph("- Lưu: VT, KH.", size: 22)
                ],
                right: [
                    DOCXParagraph("GIÁM ĐỐC", bold: true, alignment: .center),
                    DOCXParagraph("(Ký, ghi rõ họ tên)", italic: true, alignment: .center, spacingAfter: 48),
                    DOCXParagraph("Nguyễn Văn A", bold: true, alignment: .center)
                ],
                widths: (page.textWidth / 2, page.textWidth / 2)))
        return doc
    }
}
