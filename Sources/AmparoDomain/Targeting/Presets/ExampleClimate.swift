extension TargetingPreset {
    /// A climate vulnerability index in the manner of the Dominican Republic's IVACC, with
    /// made-up weights and bands: a country sets its own from its hazard maps and its history
    /// of disasters. It reads the example PMT for income and two hazard layers, `flood_zones`
    /// and `rivers`, loaded with `amparo hazards load` (the demo loads its own).
    static let exampleClimate = TargetingPreset(name: "example-climate", json: #"""
    {
      "name": "example-climate",
      "version": 1,
      "kind": "climate",
      "example": true,
      "title": {
        "es": "Índice de vulnerabilidad climática (ejemplo)",
        "pt": "Índice de vulnerabilidade climática (exemplo)",
        "en": "Climate vulnerability index (example)"
      },
      "description": {
        "es": "EJEMPLO: pesos y bandas inventados. Vivienda, ingreso estimado y exposición a amenazas, como el IVACC dominicano.",
        "pt": "EXEMPLO: pesos e faixas inventados. Moradia, renda estimada e exposição a ameaças, como o IVACC dominicano.",
        "en": "EXAMPLE: made-up weights and bands. Housing, estimated income and exposure to hazards, as the Dominican IVACC."
      },
      "climate": {
        "housing": {
          "weight": "0.35",
          "items": [
            {"id": "fragile_walls", "points": "0.4", "when": {"field": "walls", "in": ["bahareque", "zinc", "cardboard", "none", "other"]},
             "title": {"es": "Paredes frágiles", "pt": "Paredes frágeis", "en": "Fragile walls"}},
            {"id": "light_roof", "points": "0.3", "when": {"field": "roof", "in": ["zinc", "thatch", "other"]},
             "title": {"es": "Techo liviano", "pt": "Telhado leve", "en": "Light roof"}},
            {"id": "earth_floor", "points": "0.3", "when": {"field": "floor", "in": ["earth"]},
             "title": {"es": "Piso de tierra", "pt": "Piso de terra", "en": "Earth floor"}}
          ]
        },
        "income": {
          "weight": "0.35",
          "policy": "example-pmt@1",
          "title": {"es": "Ingreso estimado", "pt": "Renda estimada", "en": "Estimated income"},
          "bands": [
            {"below": "11.3", "score": "1"},
            {"below": "11.9", "score": "0.7"},
            {"below": "12.4", "score": "0.4"},
            {"score": "0"}
          ]
        },
        "exposure": {
          "weight": "0.3",
          "layers": [
            {"layer": "flood_zones", "title": {"es": "Zona inundable", "pt": "Zona inundável", "en": "Flood zone"},
             "bands": [{"within_m": "0", "score": "1"}, {"within_m": "500", "score": "0.7"}, {"within_m": "2000", "score": "0.3"}]},
            {"layer": "rivers", "title": {"es": "Cercanía a un río", "pt": "Proximidade de um rio", "en": "Near a river"},
             "bands": [{"within_m": "200", "score": "0.8"}, {"within_m": "1000", "score": "0.4"}]}
          ]
        },
        "classes": [
          {"id": "high", "from": "0.6", "title": {"es": "vulnerabilidad alta", "pt": "vulnerabilidade alta", "en": "high vulnerability"}},
          {"id": "medium", "from": "0.35", "title": {"es": "vulnerabilidad media", "pt": "vulnerabilidade média", "en": "medium vulnerability"}},
          {"id": "low", "title": {"es": "vulnerabilidad baja", "pt": "vulnerabilidade baixa", "en": "low vulnerability"}}
        ]
      }
    }
    """#)
}
