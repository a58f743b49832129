/// One problem in a dossier file, with the line it is on (line 1 is the header).
public struct DossierInputProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unknownUnit(code: String)
        case badDate(column: String, text: String)
        case missingDate(column: String)
        case finishedBeforeReceived(received: String, finished: String)
        case badWord(column: String, text: String, allowed: [String])
        case missingFields(found: Int, expected: Int)
        case tooManyFields(limit: Int)
        case lineTooLong(limit: Int)
        case unterminatedQuote
        case strayQuote
        case tooManyDistinct(what: String, limit: Int)
        case missingValue(column: String)
        case readFailed
    }

    public var line: Int
    public var kind: Kind

    public init(line: Int, kind: Kind) {
        self.line = line
        self.kind = kind
    }

    public var description: String { "Dòng \(line): \(reason)" }

    public var reason: String {
        switch kind {
        case .unknownUnit(let code):
            return "mã đơn vị “\(code)” không có trong danh sách đơn vị. Sửa mã đơn vị hoặc bổ sung đơn vị vào danh sách."
        case .badDate(let column, let text):
            return
                "cột “\(column)” có ngày “\(text)” không đọc được. Ghi ngày dạng dd/mm/yyyy, có thể kèm giờ HH:mm (ví dụ 14/03/2024 16:30)."
        case .missingDate(let column):
            return "cột “\(column)” để trống. Cần ghi ngày dạng dd/mm/yyyy."
        case .finishedBeforeReceived(let received, let finished):
            return "ngày trả kết quả \(finished) trước ngày tiếp nhận \(received). Kiểm tra lại hai ngày này."
        case .badWord(let column, let text, let allowed):
            let words = allowed.filter { !$0.isEmpty }.map { "“\($0)”" }.joined(separator: ", ")
            return "cột “\(column)” có giá trị “\(text)” không hợp lệ. Giá trị được chấp nhận: \(words)."
        case .missingFields(let found, let expected):
            return "chỉ có \(found) cột, dòng tiêu đề có \(expected) cột. Kiểm tra dấu phẩy và dấu ngoặc kép trên dòng này."
        case .tooManyFields(let limit):
            return "có quá nhiều cột (tối đa \(VietnameseNumber.format(ExactNumber(limit))) cột). Kiểm tra định dạng tệp CSV."
        case .lineTooLong(let limit):
            return
                "dòng quá dài (tối đa \(VietnameseNumber.format(ExactNumber(limit))) byte). Kiểm tra dấu ngoặc kép hoặc ký tự xuống dòng."
        case .unterminatedQuote:
            return "dấu ngoặc kép mở nhưng không được đóng đến hết tệp. Thêm dấu ngoặc kép đóng cho ô này."
        case .strayQuote:
            return "có ký tự ngay sau dấu ngoặc kép đóng. Trong ô có dấu ngoặc kép, hãy viết nó hai lần (\"\")."
        case .missingValue(let column): return "cột “\(column)” để trống. Cần ghi giá trị cho cột này."
        case .readFailed: return "không đọc được tiếp tệp từ dòng này (lỗi đọc đĩa). Thử lại hoặc sao chép tệp sang nơi khác."
        case .tooManyDistinct(let what, let limit):
            return "tệp có quá nhiều \(what) khác nhau (tối đa \(VietnameseNumber.format(ExactNumber(limit)))). Kiểm tra lại tệp."
        }
    }
}

/// Why a dossier file was refused whole; nothing from it is counted.
public enum DossierFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(reason: String)
    case empty
    case missingColumns([String])
    case duplicateColumn(String)
    /// The first problems found (at most `DossierLimits.maxReportedProblems`) and how many there were in all.
    case rejected(problems: [DossierInputProblem], total: Int)
    case overflow
    case needsUnitTree(form: String)
    case unknownForm(String)

    public var description: String {
        switch self {
        case .unreadable(let reason): return "Không đọc được tệp hồ sơ: \(reason)"
        case .empty: return "Tệp hồ sơ trống: cần dòng tiêu đề và các dòng hồ sơ."
        case .missingColumns(let columns):
            return "Dòng tiêu đề thiếu cột: " + columns.map { "“\($0)”" }.joined(separator: ", ")
                + ". Đặt đúng tên cột hoặc dùng tệp ánh xạ (--mapping) cho tệp xuất từ hệ thống khác."
        case .duplicateColumn(let column): return "Cột “\(column)” xuất hiện hai lần ở dòng tiêu đề. Giữ lại một cột."
        case .rejected(let problems, let total):
            let shown = problems.map(\.description).joined(separator: "\n")
            let more = total > problems.count ? "\n… và \(VietnameseNumber.format(ExactNumber(total - problems.count))) lỗi khác." : ""
            return "Tệp hồ sơ bị từ chối (\(VietnameseNumber.format(ExactNumber(total))) lỗi), không số liệu nào được tính:\n" + shown
                + more
        case .overflow: return "Số hồ sơ cộng dồn vượt quá giới hạn tính toán. Hãy tách tệp theo đơn vị."
        case .needsUnitTree(let form): return "Biểu mẫu \(form) cần danh sách đơn vị (để biết cấp của từng đơn vị)."
        case .unknownForm(let form): return "Không có bảng tính số liệu từ hồ sơ cho biểu mẫu “\(form)”."
        }
    }
}
