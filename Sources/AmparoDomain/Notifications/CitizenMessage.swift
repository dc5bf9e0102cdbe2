/// What Amparo sends a citizen, in their language: short, since an SMS is 160 characters.
public enum CitizenMessage: Sendable, Equatable {
    /// The one-time code that signs them in to the portal.
    case code(String, minutes: Int)

    public func text(in language: Language) -> String {
        switch self {
        case .code(let code, let minutes):
            switch language {
            case .es: "Amparo: su código es \(code). Vence en \(minutes) minutos. No lo comparta con nadie."
            case .pt: "Amparo: seu código é \(code). Vence em \(minutes) minutos. Não o compartilhe com ninguém."
            case .en: "Amparo: your code is \(code). It expires in \(minutes) minutes. Do not share it with anyone."
            }
        }
    }
}
