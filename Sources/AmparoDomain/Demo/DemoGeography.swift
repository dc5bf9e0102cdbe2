/// How people build in a region; dwelling materials depend on it as much as on welfare
/// (adobe on the altiplano, wood on stilts on the Pacific coast, bahareque in the Andes).
enum DemoHousingStyle: Sendable {
    case andean, highland, pacific, plains, amazon
}

/// One region of the demo country as written down: its provinces and municipalities, and
/// the traits that shape its households.
struct DemoRegionSpec: Sendable {
    let code: String
    let name: String
    let language: DemoLanguage
    let style: DemoHousingStyle
    /// North, south, west and east edges, in degrees.
    let box: (north: Double, south: Double, west: Double, east: Double)
    /// Shift of the latent household welfare (about one standard deviation is 1).
    let welfare: Double
    /// Shift of the urban share of each municipality.
    let urbanShift: Double
    /// Relative population of its towns: the periphery is thinly peopled.
    let population: Double
    /// Shares of heads who identify as indigenous, afrodescendant, rrom.
    let indigenous: Double
    let afrodescendant: Double
    let rrom: Double
    /// Which surnames indigenous people of the region tend to carry.
    let indigenousSurnames: DemoSurnameGroup
    let provinces: [(name: String, municipalities: [String])]
    /// Names of rural localities (veredas, comunidades, sítios), reused across municipalities.
    let ruralPlaces: [String]
}

/// The fixed administrative geography of the fictional República de Amparo.
///
/// It does not depend on the registry seed: the demo country is the same in every demo,
/// only its households change. Built once; a few hundred areas.
struct DemoGeography: Sendable {
    /// A class, so that handing a region around per household is one retain, not a copy of
    /// all its lists.
    final class Region: Sendable {
        let spec: DemoRegionSpec
        let names: DemoNameBook
        let streets: DemoStreetBook

        init(spec: DemoRegionSpec, names: DemoNameBook, streets: DemoStreetBook) {
            self.spec = spec
            self.names = names
            self.streets = streets
        }
    }

    struct Municipality: Sendable {
        let code: String
        let name: String
        let region: Int
        /// Welfare shift of the municipality: the capital is richer, remote ones poorer.
        let welfare: Double
    }

    struct Locality: Sendable {
        let code: String
        let name: String
        let municipality: Int
        let region: Int
        let urban: Bool
        /// Position in 1e-5 degrees, so that household positions stay integers.
        let latitude: Int
        let longitude: Int
    }

    static let countryCode = "AM"
    static let countryName = "República de Amparo"

    let regions: [Region]
    let municipalities: [Municipality]
    let localities: [Locality]
    /// Rows of areas.csv as `[area_code, name, level, parent_code]`, parents first.
    let areas: [[String]]
    /// Cumulative population weights of the localities, to place households.
    let localityWeights: [Double]
    /// Outlines of the regions (their boxes), provinces (the quadrants of their region) and
    /// municipalities (the part of their province nearest to their seat): schematic, but a
    /// map on which every municipality's households lie near its middle.
    let boundaries: [AreaBoundary]

    static let standard = DemoGeography()

    private init() {
        // A constant seed: the map is part of the product, not of the sample.
        var random = DemoRandom(seed: 0x414D_5041_524F)
        var regions: [Region] = []
        var municipalities: [Municipality] = []
        var localities: [Locality] = []
        var weights: [Double] = []
        var areas: [[String]] = [[Self.countryCode, Self.countryName, AreaLevel.country.rawValue, ""]]
        var boundaries: [AreaBoundary] = []
        var total = 0.0

        for (regionIndex, spec) in Self.regionSpecs.enumerated() {
            regions.append(Region(spec: spec, names: .of(spec.language), streets: .of(spec.language)))
            areas.append([spec.code, spec.name, AreaLevel.region.rawValue, Self.countryCode])
            let box = spec.box
            boundaries.append(Self.rectangle(spec.code, north: box.north, south: box.south, west: box.west, east: box.east))
            let midLatitude = (box.north + box.south) / 2
            let midLongitude = (box.west + box.east) / 2
            for (provinceIndex, province) in spec.provinces.enumerated() {
                // Region code + one digit, so that every code starts with its parent's.
                let provinceCode = spec.code + String(provinceIndex + 1)
                areas.append([provinceCode, province.name, AreaLevel.province.rawValue, spec.code])
                // Provinces are the quadrants of the region's box.
                let north = provinceIndex / 2 == 0 ? box.north : midLatitude
                let south = provinceIndex / 2 == 0 ? midLatitude : box.south
                let west = provinceIndex % 2 == 0 ? box.west : midLongitude
                let east = provinceIndex % 2 == 0 ? midLongitude : box.east
                boundaries.append(Self.rectangle(provinceCode, north: north, south: south, west: west, east: east))
                var seats: [(code: String, point: GeoPoint)] = []
                defer { boundaries += Self.nearestParts(of: (north, south, west, east), around: seats) }
                for (municipalityIndex, name) in province.municipalities.enumerated() {
                    let code = provinceCode + DemoText.padded(2 * municipalityIndex + 1, width: 2)
                    areas.append([code, name, AreaLevel.municipality.rawValue, provinceCode])
                    let isCapital = regionIndex == 0 && provinceIndex == 0 && municipalityIndex == 0
                    let isRegionCapital = provinceIndex == 0 && municipalityIndex == 0
                    let isProvinceCapital = municipalityIndex == 0
                    var size: Double
                    var urbanShare: Double
                    var welfare = (random.unit() - 0.5) * 0.6
                    if isCapital {
                        size = 55; urbanShare = 0.98; welfare += 0.35
                    } else if isRegionCapital {
                        size = 14; urbanShare = 0.9; welfare += 0.2
                    } else if isProvinceCapital {
                        size = 5; urbanShare = 0.78
                    } else {
                        size = 1 + 1.5 * random.unit(); urbanShare = 0.6; welfare -= 0.1
                    }
                    if !isCapital { size *= spec.population }
                    urbanShare = min(0.99, max(0.2, urbanShare + spec.urbanShift))
                    let municipality = municipalities.count
                    municipalities.append(Municipality(code: code, name: name, region: regionIndex, welfare: welfare))

                    let seatLatitude = south + (0.1 + 0.8 * random.unit()) * (north - south)
                    let seatLongitude = west + (0.1 + 0.8 * random.unit()) * (east - west)
                    seats.append((code, GeoPoint(longitude: seatLongitude, latitude: seatLatitude)))
                    // DANE-style: the urban seat is locality 000, rural ones follow.
                    var used: [String] = [name]
                    let ruralCount = 1 + random.below(3) + (spec.urbanShift < -0.05 && random.chance(0.4) ? 1 : 0)
                    let ruralWeights = (0..<ruralCount).map { _ in 0.5 + random.unit() }
                    let ruralTotal = ruralWeights.reduce(0, +)
                    for index in 0...ruralCount {
                        let urban = index == 0
                        var placeName = name
                        var latitude = seatLatitude
                        var longitude = seatLongitude
                        if !urban {
                            repeat {
                                placeName = spec.ruralPlaces[random.below(spec.ruralPlaces.count)]
                            } while used.contains(placeName)
                            used.append(placeName)
                            latitude += (random.unit() - 0.5) * 0.24
                            longitude += (random.unit() - 0.5) * 0.24
                        }
                        let localityCode = code + DemoText.padded(index, width: 3)
                        areas.append([localityCode, placeName, AreaLevel.locality.rawValue, code])
                        localities.append(Locality(
                            code: localityCode, name: placeName, municipality: municipality, region: regionIndex,
                            urban: urban,
                            latitude: Int((latitude * 100_000).rounded()),
                            longitude: Int((longitude * 100_000).rounded())
                        ))
                        total += urban ? size * urbanShare : size * (1 - urbanShare) * ruralWeights[index - 1] / ruralTotal
                        weights.append(total)
                    }
                }
            }
        }
        self.regions = regions
        self.municipalities = municipalities
        self.localities = localities
        self.areas = areas
        self.localityWeights = weights
        self.boundaries = boundaries
    }

    /// The demo country's hazards: a river down each region, from its northern edge to its
    /// southern one, and the flood plain along its lower half, about 2 km to each side.
    /// Drawn with a random stream of their own, so that the registry's households do not
    /// change when the hazards do.
    static func hazards() -> [HazardLayer] {
        var random = DemoRandom(seed: 0x5249_5645_5253)
        var rivers: [[GeoPoint]] = []
        var plains: [[[GeoPoint]]] = []
        for spec in regionSpecs {
            let box = spec.box
            let width = box.east - box.west
            var longitude = box.west + (0.3 + 0.4 * random.unit()) * width
            var river: [GeoPoint] = []
            var latitude = box.north
            while latitude > box.south {
                river.append(GeoPoint(longitude: longitude, latitude: latitude))
                latitude = max(box.south, latitude - 0.25)
                longitude = min(box.east - 0.05, max(box.west + 0.05, longitude + (random.unit() - 0.5) * 0.3))
            }
            river.append(GeoPoint(longitude: longitude, latitude: box.south))
            rivers.append(river)
            let plain = 0.018
            for (a, b) in zip(river.dropFirst(river.count / 2), river.dropFirst(river.count / 2 + 1)) {
                // Counterclockwise: down the eastern side, back up the western one.
                let ring = [GeoPoint(longitude: a.longitude + plain, latitude: a.latitude),
                            GeoPoint(longitude: a.longitude - plain, latitude: a.latitude),
                            GeoPoint(longitude: b.longitude - plain, latitude: b.latitude),
                            GeoPoint(longitude: b.longitude + plain, latitude: b.latitude)]
                plains.append([ring + [ring[0]]])
            }
        }
        return [HazardLayer(name: "flood_zones", polygons: plains), HazardLayer(name: "rivers", lines: rivers)]
    }

    private static func rectangle(_ code: String, north: Double, south: Double, west: Double, east: Double) -> AreaBoundary {
        // Counterclockwise, as RFC 7946 asks of an outer ring.
        let corners = [GeoPoint(longitude: west, latitude: south), GeoPoint(longitude: east, latitude: south),
                       GeoPoint(longitude: east, latitude: north), GeoPoint(longitude: west, latitude: north)]
        return AreaBoundary(code: code, polygons: [[corners + [corners[0]]]])
    }

    /// The Voronoi cells of the seats inside the box: each is the box cut by the half-planes
    /// nearer to its seat than to every other (Sutherland–Hodgman clipping).
    private static func nearestParts(of box: (north: Double, south: Double, west: Double, east: Double),
                                     around seats: [(code: String, point: GeoPoint)]) -> [AreaBoundary] {
        seats.map { seat in
            // Counterclockwise; clipping keeps the turn of the ring.
            var cell = [GeoPoint(longitude: box.west, latitude: box.south), GeoPoint(longitude: box.east, latitude: box.south),
                        GeoPoint(longitude: box.east, latitude: box.north), GeoPoint(longitude: box.west, latitude: box.north)]
            let a = seat.point
            for other in seats where other.code != seat.code {
                let b = other.point
                let middle = GeoPoint(longitude: (a.longitude + b.longitude) / 2, latitude: (a.latitude + b.latitude) / 2)
                // Negative on a's side of the bisector.
                func side(_ p: GeoPoint) -> Double {
                    (p.longitude - middle.longitude) * (b.longitude - a.longitude) + (p.latitude - middle.latitude) * (b.latitude - a.latitude)
                }
                var clipped: [GeoPoint] = []
                for (index, end) in cell.enumerated() {
                    let start = cell[(index + cell.count - 1) % cell.count]
                    let startSide = side(start), endSide = side(end)
                    if (startSide <= 0) != (endSide <= 0) {
                        let t = startSide / (startSide - endSide)
                        clipped.append(GeoPoint(longitude: start.longitude + t * (end.longitude - start.longitude),
                                                latitude: start.latitude + t * (end.latitude - start.latitude)))
                    }
                    if endSide <= 0 { clipped.append(end) }
                }
                cell = clipped
            }
            return AreaBoundary(code: seat.code, polygons: cell.isEmpty ? [] : [[cell + [cell[0]]]])
        }
    }
}

extension DemoGeography {
    /// The regions, written out: real-looking Spanish names, and one Portuguese-speaking
    /// Amazon border region.
    static let regionSpecs: [DemoRegionSpec] = [
        DemoRegionSpec(
            code: "11", name: "Sabana Central", language: .spanish, style: .andean,
            box: (1.0, -2.0, -76.8, -74.0), welfare: 0.55, urbanShift: 0.05, population: 1.0,
            indigenous: 0.02, afrodescendant: 0.03, rrom: 0.003, indigenousSurnames: .lowlandIndigenous,
            provinces: [
                ("Amparo Metropolitana", ["San Rafael de Amparo", "Soacha del Norte", "Tenjo", "La Calera", "Cajicá"]),
                ("Sabana Norte", ["Zipaquirá", "Nemocón", "Cogua", "Suesca"]),
                ("Guavio", ["Gachetá", "Ubalá", "Junín", "Gama"]),
                ("Tequendama", ["La Mesa", "Anapoima", "El Colegio", "Tena"]),
            ],
            ruralPlaces: andeanPlaces
        ),
        DemoRegionSpec(
            code: "15", name: "Valles del Sur", language: .spanish, style: .andean,
            box: (-2.0, -5.5, -77.5, -74.5), welfare: 0.2, urbanShift: 0, population: 1.1,
            indigenous: 0.05, afrodescendant: 0.08, rrom: 0.002, indigenousSurnames: .lowlandIndigenous,
            provinces: [
                ("Valle Alto", ["Santa Rosa de Cabal", "Villa Esperanza", "Guacarí", "El Cerrito", "Ginebra"]),
                ("Cañón del Río Frío", ["Riofrío", "Trujillo", "Bolívar", "Dagua"]),
                ("Montaña Cafetera", ["Salento", "Filandia", "Génova", "Córdoba"]),
                ("Los Nevados", ["Villamaría", "Neira", "Aranzazu", "Salamina"]),
            ],
            ruralPlaces: andeanPlaces
        ),
        DemoRegionSpec(
            code: "27", name: "Costa Pacífica", language: .spanish, style: .pacific,
            box: (2.5, -4.0, -79.2, -77.6), welfare: -0.6, urbanShift: -0.1, population: 0.45,
            indigenous: 0.1, afrodescendant: 0.7, rrom: 0, indigenousSurnames: .lowlandIndigenous,
            provinces: [
                ("Atrato", ["Quibdó", "Bojayá", "Lloró", "Bagadó"]),
                ("San Juan", ["Istmina", "Tadó", "Condoto", "Nóvita"]),
                ("Baudó", ["Pizarro", "Nuquí", "Bahía Solano", "Juradó"]),
                ("Costa Sur", ["Tumaco", "Guapi", "Timbiquí", "López de Micay", "Barbacoas"]),
            ],
            ruralPlaces: [
                "Bocas de Satinga", "Playa Bonita", "Puerto España", "San Antonio de Guajuí", "Chamón",
                "Boca de Pepé", "La Loma", "Togoromá", "Docampadó", "Pavasa", "San Miguel", "Bellavista", "Arusí",
                "Coquí", "Tribugá", "Cupica", "El Valle", "Chachajo", "Caimanero", "Santa Rosa", "Las Mojarras",
                "Peñitas", "Mataján", "Bocas de Curay",
            ]
        ),
        DemoRegionSpec(
            code: "33", name: "Altiplano del Sur", language: .spanish, style: .highland,
            box: (-5.5, -9.0, -76.5, -72.5), welfare: -0.5, urbanShift: -0.15, population: 0.6,
            indigenous: 0.55, afrodescendant: 0.01, rrom: 0, indigenousSurnames: .andeanIndigenous,
            provinces: [
                ("Collao", ["Chucuito", "Ilave", "Juli", "Pomata", "Desaguadero"]),
                ("Azángaro", ["Azángaro", "Muñani", "Asillo", "San Antón"]),
                ("Lampa", ["Lampa", "Cabanilla", "Santa Lucía", "Paratía"]),
                ("Huancané", ["Huancané", "Moho", "Vilquechico", "Cojata"]),
            ],
            ruralPlaces: [
                "Ccollpa", "Huayllapampa", "Cusipata", "Jatun Ayllu", "Pampa Grande", "Ayllu Collana", "Chacapampa",
                "Ichupampa", "Camicachi", "Chatuma", "Huacani", "Jachocco", "Kelluyo", "Pilcuyo", "Llachahui",
                "Inchupalla", "Ccotos", "Titilaca", "Sacuyo", "Totorani", "Mañazo", "Quelcaya", "Ccachipampa",
                "Ñuñoa Baja",
            ]
        ),
        DemoRegionSpec(
            code: "50", name: "Llanos Orientales", language: .spanish, style: .plains,
            box: (2.5, -2.0, -73.8, -69.0), welfare: 0.0, urbanShift: -0.05, population: 0.6,
            indigenous: 0.06, afrodescendant: 0.03, rrom: 0.001, indigenousSurnames: .lowlandIndigenous,
            provinces: [
                ("Meta Alto", ["Villa del Llano", "Acacías", "Cumaral", "Restrepo", "Guamal"]),
                ("Casanare", ["Yopal", "Aguazul", "Tauramena", "Maní", "Orocué"]),
                ("Arauca", ["Arauquita", "Tame", "Saravena", "Fortul"]),
                ("Vichada", ["Puerto Carreño", "Cumaribo", "La Primavera", "Santa Rosalía"]),
            ],
            ruralPlaces: [
                "Morichal", "Caño Grande", "La Venturosa", "El Banco", "Matepiña", "La Culebra", "Cravo Sur",
                "El Yopo", "Palmarito", "El Garzón", "Guafal", "La Reforma", "Caño Limón", "El Toro", "Tres Matas",
                "Bocas del Pauto", "La Esmeralda", "El Viento", "Nueva Antioquia", "Chaparral", "Corocito",
                "Sabanalarga", "Mata de Piña", "Caño Chiquito",
            ]
        ),
        DemoRegionSpec(
            code: "91", name: "Vale do Guaporé", language: .portuguese, style: .amazon,
            box: (-2.0, -8.5, -72.0, -66.0), welfare: -0.7, urbanShift: -0.1, population: 0.4,
            indigenous: 0.3, afrodescendant: 0.2, rrom: 0, indigenousSurnames: .lowlandIndigenous,
            provinces: [
                ("Alto Guaporé", ["São Gabriel do Guaporé", "Costa Marques", "São Francisco do Guaporé", "Seringueiras"]),
                ("Madeira-Mamoré", ["Guajará-Mirim", "Nova Mamoré", "Vila Murtinho", "Iata"]),
                ("Rio Negro", ["Santa Isabel do Rio Negro", "Barcelos", "São João do Içana", "Cucuí"]),
                ("Alto Solimões", ["Tabatinga", "Benjamin Constant", "São Paulo de Olivença", "Amaturá", "Santo Antônio do Içá"]),
            ],
            ruralPlaces: [
                "Sítio Novo", "Cachoeira Grande", "Lagoa Seca", "Boa Esperança", "Vila Nova", "Barra Grande",
                "Pedra Branca", "Santo Antônio do Matupi", "São Sebastião", "Igarapé-Açu", "Linha Três",
                "Ramal do Castanhal", "Comunidade São João", "Aldeia Jacamim", "Três Bocas", "Poço Fundo",
                "Ribeirão", "Nova Conquista", "Santa Luzia", "Serra Azul", "Pedras Negras", "Surpresa",
                "Porto Rolim", "Limoeiro",
            ]
        ),
    ]

    static let andeanPlaces = [
        "El Cedro", "La Palma", "Los Alpes", "Alto Bonito", "Guayabal", "El Retiro", "La Laguna", "San Isidro",
        "Santa Bárbara", "El Porvenir", "La Florida", "Buenavista", "El Hatillo", "Las Mercedes", "La Cabaña",
        "El Triunfo", "Piedra Blanca", "Agua Bonita", "El Salitre", "Quebrada Honda", "La Esmeralda", "El Roble",
        "Peñas Blancas", "El Diviso", "La Mesita", "El Tablazo", "Santa Rita", "La Aurora", "Campo Alegre",
        "Río Frío", "Las Brisas", "El Peñón", "La Cañada", "Cañaveral", "Los Naranjos", "Montañita",
    ]
}
