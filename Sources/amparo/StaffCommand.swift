import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

/// `amparo staff`: the staff accounts.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Staff accounts: add, list, disable, reset, bind to the digital identity.",
        subcommands: [Add.self, List.self, Disable.self, Reset.self, Bind.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a staff account with roles in areas; the first administrator is made this way.",
            discussion: """
                Roles: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")). Each --area is an area code \
                (* for the whole country); every role is held in every area given. The password is read from \
                --password-file, or from standard input: never from the command line, which the process list shows.
                """)

        @Argument(help: "The account's name: letters, digits, '.', '_' or '-'.") var name: String
        @Option(name: .customLong("role"), help: "A role; repeat for several.") var roles: [String] = []
        @Option(name: .customLong("area"), help: "An area code, * for the whole country; repeat for several.") var areas: [String] = []
        @Option(help: "A file holding the password (its first line).") var passwordFile: String?
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let roles = try self.roles.map { text in
                guard let role = StaffRole(rawValue: text) else {
                    throw ValidationError("\(text) is not a role; the roles are \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return role
            }
            guard !roles.isEmpty, !areas.isEmpty else { throw ValidationError("give at least one --role and one --area") }
            let password = try readPassword(from: passwordFile)
            let name = self.name, areas = self.areas
            try await options.withDatabase(migrate: true) { database in
                do {
                    try await StaffAccounts(database: database)
                        .add(name: name, password: password, roles: roles.flatMap { role in areas.map { .init(role, $0) } })
                } catch let refusal as StaffAccounts.Refusal {
                    throw ValidationError(refusal.description)
                }
                print("Made the account \(name). Its first sign-in asks for a second factor where its roles need one.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the staff accounts, their roles and areas.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            try await options.withDatabase(migrate: false) { database in
                for account in try await StaffAccounts(database: database).list() {
                    let roles = account.roles.map { "\($0.role.rawValue)@\($0.areaCode)" }.joined(separator: " ")
                    let state = account.disabled ? "disabled" : account.secondFactor ? "second factor on" : "no second factor"
                    print("\(account.name)\t\(roles)\t\(state)")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions; it is kept for the audit trail.")
        @Argument var name: String
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let name = self.name
            try await options.withDatabase(migrate: true) { database in
                do { try await StaffAccounts(database: database).disable(name: name) } catch let refusal as StaffAccounts.Refusal {
                    throw ValidationError(refusal.description)
                }
                print("Disabled \(name).")
            }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an account a new password; its lockout is lifted and its second factor must be enrolled again.")
        @Argument var name: String
        @Option(help: "A file holding the new password (its first line).") var passwordFile: String?
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let password = try readPassword(from: passwordFile)
            let name = self.name
            try await options.withDatabase(migrate: true) { database in
                do { try await StaffAccounts(database: database).reset(name: name, password: password) } catch let refusal as StaffAccounts.Refusal {
                    throw ValidationError(refusal.description)
                }
                print("Reset \(name): a new password, no second factor until it enrols one at its next sign-in.")
            }
        }
    }
}

extension StaffCommand {
    struct Bind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind an account to a subject of the country's digital identity (OpenID Connect), so that it may sign in there.",
            discussion: """
                --issuer is the provider's issuer exactly as AMPARO_OIDC_ISSUER gives it; --subject is the person's `sub` \
                at that provider. A sign-in there opens a full session: the provider's own factors stand in for the \
                password and the second factor. Binding again replaces the subject.
                """)
        @Argument var name: String
        @Option(help: "The provider's issuer URL.") var issuer: String
        @Option(help: "The subject (`sub`) the provider gives the person.") var subject: String
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let name = self.name, issuer = self.issuer.trimmingCharacters(in: .whitespaces)
            let subject = self.subject.trimmingCharacters(in: .whitespaces)
            guard issuer.hasPrefix("https://") || issuer.hasPrefix("http://") else {
                throw ValidationError("--issuer \(issuer) is not an http(s) URL")
            }
            guard !subject.isEmpty, subject.count <= 255 else { throw ValidationError("--subject is 1 to 255 characters") }
            try await options.withDatabase(migrate: true) { database in
                do {
                    try await StaffAccounts(database: database).bind(name: name, issuer: issuer, subject: subject)
                } catch let refusal as StaffAccounts.Refusal {
                    throw ValidationError(refusal.description)
                }
                print("Bound \(name) to its subject at \(issuer).")
            }
        }
    }
}

/// A password from a file's first line, or from standard input.
func readPassword(from file: String?) throws -> String {
    let text: String?
    if let file {
        text = FileManager.default.contents(atPath: file).flatMap { String(data: $0, encoding: .utf8) }
        guard text != nil else { throw ValidationError("the password file \(file) cannot be read") }
    } else {
        printError("Password (then Enter):")
        text = readLine(strippingNewline: true)
    }
    let password = (text ?? "").split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    guard password.count >= 12 else { throw ValidationError("a password needs at least 12 characters") }
    return password
}
