import LifeboatAPI

extension LabelSelectorParser.Selector {
    /// The selector as the API's `LabelSelector` (Velero's `metav1.LabelSelector` JSON).
    var wire: Components.Schemas.LabelSelector {
        Components.Schemas.LabelSelector(
            matchLabels: matchLabels.isEmpty ? nil : .init(additionalProperties: matchLabels),
            matchExpressions: matchExpressions.isEmpty ? nil : matchExpressions.map { requirement in
                let op: Components.Schemas.LabelSelectorRequirement.OperatorPayload =
                    switch requirement.operator {
                    case .in: ._in
                    case .notIn: .notIn
                    case .exists: .exists
                    case .doesNotExist: .doesNotExist
                    }
                return .init(key: requirement.key, _operator: op, values: requirement.values.isEmpty ? nil : requirement.values)
            })
    }
}
