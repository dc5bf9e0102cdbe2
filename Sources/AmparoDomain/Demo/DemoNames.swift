/// The language a part of the demo country speaks: names of people, places and streets
/// follow it.
enum DemoLanguage: Sendable {
    case spanish, portuguese
}

/// A name as written, and its ASCII form for e-mail addresses (computed once, not per person).
struct DemoName: Sendable {
    let text: String
    let slug: String

    /// `lastWord` picks the word an address is built from: the last one for surnames
    /// ("da Silva" → "silva"), the first for given names ("María José" → "maria").
    init(_ text: String, lastWord: Bool) {
        self.text = text
        let words = text.split(separator: " ")
        let word = (lastWord ? words.last : words.first).map(String.init) ?? text
        self.slug = DemoText.slug(word)
    }
}

/// Which surnames a person is likely to carry, besides the common ones of the language.
enum DemoSurnameGroup: Int, Sendable {
    case common, afrodescendant, andeanIndigenous, lowlandIndigenous
}

/// The people's names of one language: given names by sex and generation, surnames by
/// frequency and by group.
///
/// Lists are ordered from common to rare, and drawn with a skew, so a few surnames fill
/// much of the registry as they do in real ones.
struct DemoNameBook: Sendable {
    let language: DemoLanguage
    /// Female given names: the names of older generations, names of every age, and
    /// names given to children today.
    private let female: [[DemoName]]
    private let male: [[DemoName]]
    /// Surnames by `DemoSurnameGroup`.
    private let surnames: [[DemoName]]
    /// Places that people's e-mail addresses are at; reserved `.example` domains so that a
    /// demo can never write to a real person.
    let mailDomains: [String]

    private init(
        language: DemoLanguage, female: [[String]], male: [[String]], surnames: [[String]], mailDomains: [String]
    ) {
        self.language = language
        self.female = female.map { $0.map { DemoName($0, lastWord: false) } }
        self.male = male.map { $0.map { DemoName($0, lastWord: false) } }
        self.surnames = surnames.map { $0.map { DemoName($0, lastWord: true) } }
        self.mailDomains = mailDomains
    }

    static func of(_ language: DemoLanguage) -> DemoNameBook {
        switch language {
        case .spanish: spanish
        case .portuguese: portuguese
        }
    }

    /// A given name suited to a person's sex and age: older people carry the names of their
    /// generation, children today's names, everyone the common ones.
    func givenName(female isFemale: Bool, age: Int, using random: inout DemoRandom) -> DemoName {
        let lists = isFemale ? female : male
        let era: Int
        switch age {
        case 50...: era = random.chance(0.6) ? 0 : 1
        case 25..<50: era = random.chance(0.15) ? 0 : (random.chance(0.85) ? 1 : 2)
        default: era = random.chance(0.7) ? 2 : 1
        }
        let list = lists[era]
        return list[random.skewed(list.count)]
    }

    /// A surname: from the person's group with probability `groupShare`, else a common one.
    func surname(_ group: DemoSurnameGroup, groupShare: Double, using random: inout DemoRandom) -> DemoName {
        var list = surnames[DemoSurnameGroup.common.rawValue]
        if group != .common, random.chance(groupShare) {
            let own = surnames[group.rawValue]
            if !own.isEmpty { list = own }
        }
        return list[random.skewed(list.count)]
    }
}

extension DemoNameBook {
    static let spanish = DemoNameBook(
        language: .spanish,
        female: [
            [
                "María", "Carmen", "Rosa", "Gloria", "Martha", "Blanca", "Luz Marina", "Ana Cecilia", "Mercedes",
                "Dolores", "Esperanza", "Fabiola", "Yolanda", "Nelly", "Rubiela", "Amparo", "Concepción", "Socorro",
                "Inés", "Beatriz", "Teresa", "Graciela", "Leonor", "Aurora", "Consuelo", "Stella", "Myriam", "Nohora",
                "Luz Dary", "María del Carmen", "Ana Isabel", "Olga Lucía", "Cecilia", "Alba Lucía", "Ofelia",
            ],
            [
                "Ana María", "Sandra", "Patricia", "Claudia", "Diana", "Paola", "Andrea", "Adriana", "Ángela",
                "Carolina", "Liliana", "Marcela", "Natalia", "Mónica", "Lorena", "Viviana", "Catalina", "Alejandra",
                "Johana", "Paula", "Juliana", "Lucía", "Luisa Fernanda", "María Fernanda", "Verónica", "Yesenia",
                "Leidy", "Xiomara", "Rocío", "Ximena", "Milena", "Yuliana", "Jimena", "Maribel", "Ingrid", "Érika",
                "Marisol", "Dayana", "Yurani", "Nayibe",
            ],
            [
                "Valentina", "Sofía", "Isabella", "Mariana", "Camila", "Daniela", "Gabriela", "Sara", "Salomé",
                "María José", "Antonella", "Luciana", "Valeria", "Emilia", "María Camila", "Ana Sofía", "Manuela",
                "Samantha", "Mariángel", "Juanita", "Victoria", "Martina", "Abril", "Allison", "Nicole", "Dulce María",
                "Mía", "Violeta", "Zharick", "Ángela Sofía",
            ],
        ],
        male: [
            [
                "José", "Luis Alfonso", "Jorge Enrique", "Pedro", "Jesús", "Manuel", "Rafael", "Gustavo", "Hernando",
                "Álvaro", "Arnulfo", "Efraín", "Jairo", "Hernán", "Édgar", "Gilberto", "Alirio", "Rubén", "Germán",
                "Orlando", "Ramiro", "Fabio", "Héctor", "Ramón", "Jaime", "Rigoberto", "Octavio", "Aurelio", "Ignacio",
                "José Antonio", "Luis Eduardo", "Jorge Eliécer", "José Joaquín", "Ernesto",
            ],
            [
                "Juan Carlos", "Carlos Andrés", "Luis Fernando", "Jhon Jairo", "Andrés Felipe", "Óscar", "Fabián",
                "Wilson", "William", "Diego", "Mauricio", "Alexander", "Fernando", "Ricardo", "Iván Darío", "Javier",
                "Sergio", "Julián", "Camilo", "Miguel Ángel", "Víctor Hugo", "Giovanni", "Rodrigo", "Freddy", "Yeison",
                "Jhonatan", "Édison", "Cristian", "David", "Daniel", "Felipe", "Alejandro", "Juan Pablo", "José Luis",
                "Nelson", "Harold",
            ],
            [
                "Santiago", "Sebastián", "Mateo", "Samuel", "Nicolás", "Matías", "Emiliano", "Jerónimo", "Tomás",
                "Martín", "Juan José", "Joaquín", "Agustín", "Juan David", "Benjamín", "Maximiliano", "Juan Esteban",
                "Juan Sebastián", "Thiago", "Dylan", "Emmanuel", "Isaac", "Gabriel", "Simón", "Lucas", "Santino",
                "Jacobo", "Salvador", "Ian", "Maicol",
            ],
        ],
        surnames: [
            [
                "Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez", "Ramírez",
                "Pérez", "Díaz", "Muñoz", "Rojas", "Moreno", "Jiménez", "Vargas", "Castro", "Gutiérrez", "Álvarez",
                "Romero", "Ortiz", "Torres", "Suárez", "Valencia", "Ruiz", "Quintero", "Herrera", "Cárdenas", "Mejía",
                "Restrepo", "Giraldo", "Ospina", "Castaño", "Zapata", "Cardona", "Osorio", "Agudelo", "Londoño",
                "Arango", "Salazar", "Marín", "Ríos", "Peña", "Ramos", "Medina", "Aguilar", "Cortés", "Parra",
                "Guzmán", "Mendoza", "Rincón", "Acosta", "Ibáñez", "Núñez", "Ordóñez", "Patiño", "Montaño", "Beltrán",
                "Bermúdez", "Carreño", "Cañón", "Castañeda", "Peñaloza", "Montoya", "Velásquez", "Duque", "Echeverri",
                "Uribe", "Orozco", "Sepúlveda", "Villamizar", "Santamaría", "Avendaño", "Báez", "Bolaños", "Chaparro",
                "Galeano", "Gaviria", "Henao", "Jaramillo", "Lozano", "Niño", "Ochoa", "Pineda", "Sarmiento", "Toro",
                "Trujillo", "Vélez", "Zuluaga", "Yepes", "Muñetón", "Albarracín",
            ],
            [
                "Mosquera", "Palacios", "Córdoba", "Rentería", "Caicedo", "Murillo", "Asprilla", "Hinestroza",
                "Perea", "Cuesta", "Lloreda", "Riascos", "Angulo", "Cuero", "Obregón", "Sinisterra", "Banguera",
                "Quiñónez", "Cabezas", "Viveros", "Mina", "Lucumí", "Carabalí", "Balanta", "Panameño", "Chalá",
                "Arboleda", "Valoyes",
            ],
            [
                "Quispe", "Mamani", "Condori", "Huamán", "Choque", "Ccori", "Yupanqui", "Chambi", "Apaza", "Huanca",
                "Ticona", "Cusi", "Layme", "Colque", "Calla", "Ccama", "Pari", "Huaraca", "Tupa", "Suaña", "Charca",
                "Machaca", "Achahui", "Ñaupari",
            ],
            [
                "Tunubalá", "Pechené", "Jacanamijoy", "Chindoy", "Tandioy", "Yalanda", "Güegia", "Ulcué", "Ipia",
                "Pito", "Yatacué", "Gaitán", "Guainas", "Sánchez",
            ],
        ],
        mailDomains: ["correo.example", "mail.example", "posta.example", "amparo.example"]
    )

    static let portuguese = DemoNameBook(
        language: .portuguese,
        female: [
            [
                "Maria", "Francisca", "Antônia", "Raimunda", "Maria da Conceição", "Maria das Graças", "Sebastiana",
                "Luzia", "Terezinha", "Josefa", "Benedita", "Rita", "Aparecida", "Marlene", "Vera Lúcia", "Lúcia",
                "Neuza", "Irene", "Rosângela", "Conceição", "Maria do Socorro", "Zuleide",
            ],
            [
                "Ana Paula", "Adriana", "Juliana", "Márcia", "Fernanda", "Patrícia", "Aline", "Cristiane", "Simone",
                "Daniela", "Luciana", "Camila", "Vanessa", "Jéssica", "Priscila", "Tatiane", "Renata", "Elaine",
                "Débora", "Cláudia", "Andréia", "Sônia", "Érica",
            ],
            [
                "Ana Clara", "Maria Eduarda", "Maria Luíza", "Beatriz", "Larissa", "Vitória", "Júlia", "Isabela",
                "Lívia", "Manuela", "Alícia", "Heloísa", "Cecília", "Yasmin", "Lorena", "Sophia", "Valentina",
                "Maria Clara", "Laura", "Helena", "Ana Júlia", "Lavínia", "Giovanna",
            ],
        ],
        male: [
            [
                "José", "João", "Antônio", "Francisco", "Raimundo", "Sebastião", "Benedito", "Joaquim", "Severino",
                "Manoel", "Geraldo", "Luiz", "Pedro", "Expedito", "Valdemar", "Osvaldo", "José Maria", "João Batista",
                "Antônio Carlos", "Francisco das Chagas",
            ],
            [
                "Carlos", "Paulo", "Marcos", "Marcelo", "Rodrigo", "Fábio", "Anderson", "Rafael", "Daniel",
                "Alexandre", "Luiz Carlos", "José Carlos", "Márcio", "Leandro", "Fernando", "Eduardo", "Wellington",
                "Cláudio", "Sérgio", "Ricardo", "André", "Edson", "Jorge",
            ],
            [
                "João Pedro", "Pedro Henrique", "Lucas", "Gabriel", "Matheus", "Davi", "Arthur", "Heitor", "Bernardo",
                "Enzo", "Miguel", "Gustavo", "Guilherme", "Thiago", "Carlos Eduardo", "João Vitor", "Samuel", "Théo",
                "Benício", "Lorenzo", "Nicolas", "Caio", "Vinícius", "Kauã", "Ravi", "Felipe",
            ],
        ],
        surnames: [
            [
                "da Silva", "dos Santos", "de Oliveira", "de Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
                "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "de Almeida", "Lopes", "Soares",
                "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "do Nascimento", "de Andrade", "Moreira", "Nunes",
                "Marques", "Machado", "Mendes", "de Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira",
                "da Conceição", "de Araújo", "Magalhães", "Brandão", "Guimarães", "Sampaio", "Assunção", "Simões",
                "Falcão", "Paixão", "de Jesus", "dos Reis", "Batista", "Pinheiro", "Cavalcanti", "Monteiro",
            ],
            ["do Nascimento", "de Jesus", "dos Santos", "da Conceição", "Paixão", "Assunção", "Bonfim", "dos Anjos"],
            [],
            [
                "Tikuna", "Baniwa", "Tukano", "Sateré", "Munduruku", "Kaxinawá", "Yawanawá", "Ashaninka", "Kambeba",
                "Kokama", "Marubo", "Matis",
            ],
        ],
        mailDomains: ["correio.example", "mail.example", "amparo.example"]
    )
}

/// Street, neighbourhood and farm names for addresses.
struct DemoStreetBook: Sendable {
    let neighbourhoods: [String]
    let farms: [String]
    /// Named streets (Portuguese addresses are by name and number).
    let streets: [String]

    static func of(_ language: DemoLanguage) -> DemoStreetBook {
        switch language {
        case .spanish: spanish
        case .portuguese: portuguese
        }
    }

    static let spanish = DemoStreetBook(
        neighbourhoods: [
            "El Prado", "San José", "La Esperanza", "Las Américas", "Villa del Río", "El Recreo", "La Floresta",
            "Santa Fe", "Los Ángeles", "El Jardín", "Primero de Mayo", "La Candelaria", "San Vicente", "Bello Horizonte",
            "Ciudad Jardín", "El Poblado", "Las Ferias", "La Libertad", "Las Acacias", "Los Almendros", "El Bosque",
            "Villa Nueva", "Santa Inés", "Pueblo Nuevo", "La Independencia", "Veinte de Julio", "Los Cerezos",
            "Caracolí", "Villa Luz", "Niño Jesús", "La Peñita", "El Carmen",
        ],
        farms: [
            "La Esperanza", "El Recuerdo", "La Fortuna", "Villa María", "El Porvenir", "La Primavera",
            "Los Guaduales", "El Edén", "La Palmera", "Santa Helena", "El Mirador", "La Cabaña", "Las Delicias",
            "Bella Vista", "El Naranjal", "La Montañita", "El Cañaduzal",
        ],
        streets: ["Calle", "Carrera", "Diagonal", "Transversal", "Avenida"]
    )

    static let portuguese = DemoStreetBook(
        neighbourhoods: [
            "Centro", "São Francisco", "Nova Esperança", "Aparecida", "Jardim América", "Vila Nova", "Cidade Nova",
            "Santo Antônio", "São José", "Bela Vista", "Alvorada", "Morada do Sol", "Planalto", "Liberdade",
            "São Cristóvão", "Conjunto Castanheira",
        ],
        farms: [
            "Boa Esperança", "São Jorge", "Recanto Verde", "Santa Fé", "Bom Jesus", "Três Irmãos", "Primavera",
            "Nossa Senhora Aparecida", "Paraíso", "Castanhal", "Água Limpa", "Bacaba",
        ],
        streets: [
            "Rua São João", "Rua Sete de Setembro", "Avenida Getúlio Vargas", "Rua Tiradentes", "Rua das Flores",
            "Rua da Matriz", "Travessa Santa Luzia", "Rua Dom Pedro II", "Avenida Amazonas", "Rua Rio Branco",
            "Rua Marechal Deodoro", "Rua Boa Vista", "Rua do Comércio", "Rua Quinze de Novembro",
            "Rua Padre Anchieta", "Beco da Esperança", "Avenida Beira Rio", "Rua Castanheira",
        ]
    )
}
