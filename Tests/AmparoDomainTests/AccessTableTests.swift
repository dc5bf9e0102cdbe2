import Testing
@testable import AmparoDomain

@Suite("Who may do what")
struct AccessTableTests {
    @Test("the roles' permissions, as the issue and README state them")
    func roles() {
        // Reading persons: every role that works with households, none of the others.
        let readers = StaffRole.allCases.filter { AccessTable.permissions(of: $0).contains(.readPersons) }
        #expect(Set(readers) == [.registrationOfficer, .verifier, .programmeManager, .paymentOfficer, .grievanceOfficer])
        #expect(AccessTable.permissions(of: .analyst) == [.readAggregates])
        #expect(AccessTable.permissions(of: .auditor) == [.readAuditTrail])
        #expect(AccessTable.permissions(of: .administrator) == [.manageAccounts])
        #expect(AccessTable.permissions(of: .verifier).contains(.reviewIdentity))
        #expect(!AccessTable.permissions(of: .registrationOfficer).contains(.reviewIdentity))
        #expect(AccessTable.permissions(of: .registryRead) == [.readPersons])
    }

    @Test("a grant covers its area and the areas below it, compared as text, exactly")
    func areas() {
        let grant = Grant(role: .registrationOfficer, areaPath: "/AM/05/")
        #expect(grant.covers("/AM/05/"))
        #expect(grant.covers("/AM/05/05001/"))
        #expect(!grant.covers("/AM/050/"), "a sibling whose code starts alike is not below")
        #expect(!grant.covers("/AM/"))
        #expect(!Grant(role: .verifier, areaPath: "/AM/0_").covers("/AM/05/"), "no wildcard in a path")
        #expect(Grant(role: .verifier, areaPath: "/").covers("/AM/07/07001/"))
        #expect(Grant(role: .verifier, areaPath: "/AM/05").areaPath == "/AM/05/", "a path always ends with /")
    }

    @Test("a requester may do what one of its grants allows, where it reaches")
    func requester() {
        let officer = Requester(actor: "staff:ana", grants: [
            Grant(role: .registrationOfficer, areaPath: "/AM/05/05001/"), Grant(role: .analyst, areaPath: "/"),
        ])
        #expect(officer.may(.readPersons, in: "/AM/05/05001/0500101/"))
        #expect(!officer.may(.readPersons, in: "/AM/07/"))
        #expect(officer.may(.readAggregates, in: "/AM/07/"))
        #expect(!officer.mayAnywhere(.reviewIdentity))
        #expect(officer.areas(for: .readPersons) == ["/AM/05/05001/"])
        #expect(officer.areas(for: .readAggregates) == nil, "nil is the whole country")
        #expect(officer.areas(for: .managePayments) == [])
        #expect(officer.role(for: .readPersons, in: "/AM/05/05001/") == "registration_officer")
        let nested = Requester(actor: "x", grants: [Grant(role: .verifier, areaPath: "/AM/05/"), Grant(role: .verifier, areaPath: "/AM/05/05001/")])
        #expect(nested.areas(for: .readPersons) == ["/AM/05/"], "an area within another is covered already")
        #expect(Requester.anonymous.isAnonymous && !Requester.anonymous.mayAnywhere(.readPersons))
    }

    @Test("a second factor for roles that change data or reach above a municipality")
    func secondFactor() {
        #expect(!SecondFactorRule.required(roles: [(.analyst, .municipality), (.auditor, .locality)]))
        #expect(SecondFactorRule.required(roles: [(.analyst, .province)]))
        #expect(SecondFactorRule.required(roles: [(.registrationOfficer, .locality)]))
        #expect(SecondFactorRule.required(roles: [(.administrator, .municipality)]))
        #expect(SecondFactorRule.required(roles: [(.grievanceOfficer, .municipality)]), "handling grievances changes data")
    }
}

@Suite("Hexadecimal")
struct HexadecimalTests {
    @Test func asFormatWritesIt() {
        let bytes: [UInt8] = [0, 1, 0x0f, 0x10, 0xab, 0xff]
        #expect(bytes.hexadecimal == "00010f10abff")
        #expect([UInt8]().hexadecimal == "")
    }
}
