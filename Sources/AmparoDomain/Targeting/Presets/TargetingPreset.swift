/// A policy Amparo ships with, as the JSON text a country would write.
public struct TargetingPreset: Sendable {
    public let name: String
    public let json: String

    /// Every preset, in the order they depend on each other.
    public static let all: [TargetingPreset] = [
        colombiaMPI, globalMPI, examplePMT, exampleDisability, exampleCashTransfer, exampleClimate,
    ]

    /// The presets read and checked, by `name@version`.
    public static func policies(questionnaire: Questionnaire = .standard) throws(PolicyError) -> [String: TargetingPolicy] {
        var policies: [String: TargetingPolicy] = [:]
        for preset in all {
            let policy = try TargetingPolicy.read(Array(preset.json.utf8), questionnaire: questionnaire, policies: policies)
            policies[policy.reference] = policy
        }
        return policies
    }
}
