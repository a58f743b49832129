/// One choice of a select box or a group of radio buttons, as every page shows them.
struct SelectOption: Encodable, Sendable, Equatable {
    let value: String
    let label: String
    let selected: Bool
}
