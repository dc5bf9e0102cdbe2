extension TargetingPreset {
    /// Categorical rules: a disability allowance by the Washington Group's usual cut-off
    /// (a lot of difficulty, or cannot do at all, in at least one domain).
    static let exampleDisability = TargetingPreset(name: "example-disability", json: #"""
    {
      "name": "example-disability",
      "version": 1,
      "kind": "rules",
      "example": true,
      "title": {
        "es": "Hogares con una persona con discapacidad (ejemplo)",
        "pt": "Domicílios com uma pessoa com deficiência (exemplo)",
        "en": "Households with a person with disability (example)"
      },
      "rules": {
        "eligible_when": {"any_member": {"where": {"any": [
          {"field": "wg_seeing", "at_least": 3}, {"field": "wg_hearing", "at_least": 3},
          {"field": "wg_walking", "at_least": 3}, {"field": "wg_cognition", "at_least": 3},
          {"field": "wg_selfcare", "at_least": 3}, {"field": "wg_communication", "at_least": 3}]}}}
      }
    }
    """#)

    /// A composition: a cash transfer for families with children that are MPI-poor or in the
    /// example PMT's group A.
    static let exampleCashTransfer = TargetingPreset(name: "example-cash-transfer", json: #"""
    {
      "name": "example-cash-transfer",
      "version": 1,
      "kind": "composition",
      "example": true,
      "title": {
        "es": "Transferencia para familias con niños (ejemplo)",
        "pt": "Transferência para famílias com crianças (exemplo)",
        "en": "Transfer for families with children (example)"
      },
      "rules": {
        "eligible_when": {"all": [
          {"any": [
            {"policy": "colombia-mpi@1", "class_in": ["poor"]},
            {"policy": "example-pmt@1", "class_in": ["A"]}]},
          {"count_members": {"aged": [0, 17]}, "at_least": 1}]}
      }
    }
    """#)
}
