import Fluent
import ReportingCore
import SQLKit
import Vapor

/// Consolidated figures straight from the reports as they stand: no nightly
/// job, no analytics table. Loads one assignment's reports and runs the core
/// consolidator over the unit tree.
struct ConsolidationService {
    let database: Database
    let library: FormLibrary
    let tree: UnitTree
    /// Kept results, reused while their form and period's reports are unchanged (nil: computed every time).
    var cache: ConsolidationCache? = nil

    /// Which reports count: accepted only (the default), or also sent ones.
    enum Basis: String, Codable, Sendable {
        case accepted, sent
        func includes(_ status: ReportStatus) -> Bool {
            self == .accepted ? status == .accepted : status.hasBeenSent
        }
        var label: String { self == .accepted ? "Chỉ báo cáo đã tiếp nhận" : "Cả báo cáo đã gửi" }
    }

    struct Result {
        let form: CompiledForm
        let period: String
        /// Figures of every unit that has units below it, by tree index.
        let figures: [Int: [ConsolidatedFigure]]
        /// Each unit's own counted values by slot, by tree index (nil: not counted).
        let reports: [[Double?]?]
        /// Every unit's report status, by unit code (units assigned the form).
        let statuses: [String: ReportStatus]

        func figures(at code: String, in tree: UnitTree) -> [ConsolidatedFigure]? {
            tree.indexByCode[code].flatMap { figures[$0] }
        }

        func ownValues(of code: String, in tree: UnitTree) -> [Double?]? {
            tree.indexByCode[code].flatMap { reports[$0] }
        }
    }

    /// Loads the reports of `formID` for `periodKey` and consolidates the
    /// whole tree; with a cache, a result computed before is reused while the
    /// database's stamp of the form and period has not moved.
    func consolidate(formID: String, periodKey: String, basis: Basis = .accepted) async throws -> Result {
        guard let form = library.form(formID) else {
            throw ServiceError(.notFound, "Không có biểu mẫu “\(formID)”.")
        }
        guard let sql = database as? any SQLDatabase else {
            throw ServiceError(.invalid, "Cơ sở dữ liệu không hỗ trợ truy vấn SQL trực tiếp.")
        }
        guard let cache else { return try await Self.read(form: form, periodKey: periodKey, basis: basis, tree: tree, on: sql) }
        let key = ConsolidationCache.Key(formID: form.id, periodKey: periodKey, basis: basis)
        // Read before the values: a change landing in between leaves the entry older than its data, never newer.
        let stamp = try await ConsolidationCache.stamp(formID: form.id, periodKey: periodKey, on: sql)
        if let known = cache.result(for: key, stamp: stamp, tree: tree) { return known }
        let result = try await Self.read(form: form, periodKey: periodKey, basis: basis, tree: tree, on: sql)
        cache.store(result, for: key, stamp: stamp, tree: tree)
        return result
    }

    /// The period's reports in one statement: each report's unit and status,
    /// and for a counted report its stored numbers joined into one text by the
    /// database (code, unit separator, number; record separator between
    /// cells), so that a national period comes back as one row per report
    /// rather than one model per cell.
    static func read(form: CompiledForm, periodKey: String, basis: Basis, tree: UnitTree, on sql: any SQLDatabase) async throws -> Result {
        let r = ReportsTable.self, v = ReportValuesTable.self
        let counted = ReportStatus.allCases.filter { basis.includes($0) }.map(\.rawValue)
        let postgres = sql.dialect.name == "postgresql"
        let cell: SQLQueryString =
            postgres
            ? "string_agg(v.\(ident: v.code) || chr(31) || v.\(ident: v.number), chr(30))"
            : "group_concat(v.\(ident: v.code) || char(31) || v.\(ident: v.number), char(30))"
        let rows = try await sql.raw(
            """
            SELECT r.\(ident: r.unitCode) AS unit_code, r.\(ident: r.status) AS status, \(cell) AS cells \
            FROM \(ident: r.table) r LEFT JOIN \(ident: v.table) v ON v.\(ident: v.reportID) = r.\(ident: r.id) \
            AND v.\(ident: v.number) IS NOT NULL AND r.\(ident: r.status) IN (\(binds: counted)) \
            WHERE r.\(ident: r.formID) = \(bind: form.id) AND r.\(ident: r.periodKey) = \(bind: periodKey) \
            GROUP BY r.\(ident: r.id), r.\(ident: r.unitCode), r.\(ident: r.status)
            """
        ).all()
        var byIndex = [[Double?]?](repeating: nil, count: tree.units.count)
        var statuses: [String: ReportStatus] = [:]
        let slots = SlotLookup(form)
        // A code holding a separator (no built-in form has one) is read cell by cell instead.
        let separated = slots.separable ? [:] : try await cellByCell(form: form, periodKey: periodKey, counted: counted, on: sql)
        for row in rows {
            let unitCode = try row.decode(column: "unit_code", as: String.self)
            guard let status = ReportStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            statuses[unitCode] = status
            guard basis.includes(status), let index = tree.indexByCode[unitCode] else { continue }
            var values = [Double?](repeating: nil, count: form.slotCount)
            if !slots.separable {
                for (slot, number) in separated[unitCode] ?? [] { values[slot] = number }
            } else if var cells = try row.decode(column: "cells", as: String?.self) {
                cells.withUTF8 { slots.fill(&values, from: $0) }
            }
            _ = form.computeFormulas(&values)
            byIndex[index] = values
        }
        let assigned = Set(statuses.keys)
        let figures = Consolidator(form: form, tree: tree).consolidateAll(reports: byIndex) { assigned.contains($0.code) }
        return Result(form: form, period: periodKey, figures: figures, reports: byIndex, statuses: statuses)
    }

    /// The counted reports' numbers as one row per cell, by unit code.
    static func cellByCell(
        form: CompiledForm, periodKey: String, counted: [String],
        on sql: any SQLDatabase
    ) async throws -> [String: [(Int, Double)]] {
        let r = ReportsTable.self, v = ReportValuesTable.self
        var cells: [String: [(Int, Double)]] = [:]
        for row in try await sql.raw(
            """
            SELECT r.\(ident: r.unitCode) AS unit_code, v.\(ident: v.code) AS code, v.\(ident: v.number) AS number \
            FROM \(ident: r.table) r JOIN \(ident: v.table) v ON v.\(ident: v.reportID) = r.\(ident: r.id) \
            WHERE r.\(ident: r.formID) = \(bind: form.id) AND r.\(ident: r.periodKey) = \(bind: periodKey) \
            AND r.\(ident: r.status) IN (\(binds: counted)) AND v.\(ident: v.number) IS NOT NULL
            """
        ).all() {
            guard let slot = form.slotByCode[try row.decode(column: "code", as: String.self)],
                let number = ExactNumber(machine: try row.decode(column: "number", as: String.self))
            else { continue }
            cells[try row.decode(column: "unit_code", as: String.self), default: []].append((slot, number.doubleValue))
        }
        return cells
    }

    /// Finds a cell's slot by the bytes of its code without building a string per cell.
    struct SlotLookup {
        private var byCode: [[UInt8]: Int] = [:]
        /// No code holds either separator.
        private(set) var separable = true

        init(_ form: CompiledForm) {
            for (code, slot) in form.slotByCode {
                byCode[Array(code.utf8)] = slot
                if code.utf8.contains(30) || code.utf8.contains(31) { separable = false }
            }
        }

        /// Reads "code␟number␞code␟number…" into `values`; a code the form lacks or a number not in machine form is skipped.
        func fill(_ values: inout [Double?], from text: UnsafeBufferPointer<UInt8>) {
            var start = 0
            var separator = -1
            var key: [UInt8] = []
            key.reserveCapacity(32)
            for position in 0...text.count {
                let byte: UInt8 = position < text.count ? text[position] : 30
                if byte == 31 && separator < 0 {
                    separator = position
                } else if byte == 30 {
                    if separator >= 0 {
                        key.removeAll(keepingCapacity: true)
                        key.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<separator]))
                        if let slot = byCode[key],
                            let number = ExactNumber(machineUTF8: UnsafeBufferPointer(rebasing: text[(separator + 1)..<position]))
                        {
                            values[slot] = number.doubleValue
                        }
                    }
                    start = position + 1
                    separator = -1
                }
            }
        }
    }
}
