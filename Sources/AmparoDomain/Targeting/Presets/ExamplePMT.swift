extension TargetingPreset {
    /// A proxy means test in the manner of Sisbén IV, with made-up coefficients. A country
    /// estimates its own from its household survey; this one only shows the form.
    static let examplePMT = TargetingPreset(name: "example-pmt", json: #"""
    {
      "name": "example-pmt",
      "version": 1,
      "kind": "pmt",
      "example": true,
      "title": {
        "es": "Prueba de medios aproximada (ejemplo)",
        "pt": "Teste de meios aproximado (exemplo)",
        "en": "Proxy means test (example)"
      },
      "description": {
        "es": "EJEMPLO: coeficientes inventados para mostrar la forma. Cada país estima los suyos con su encuesta de hogares.",
        "pt": "EXEMPLO: coeficientes inventados para mostrar a forma. Cada país estima os seus com a sua pesquisa domiciliar.",
        "en": "EXAMPLE: made-up coefficients that show the form. A country estimates its own from its household survey."
      },
      "pmt": {
        "intercept": "12.6",
        "variables": [
          {"id": "log_members", "coefficient": "-0.35", "value": "log_members",
           "title": {"es": "Logaritmo del tamaño del hogar", "pt": "Logaritmo do tamanho do domicílio", "en": "Log of household size"}},
          {"id": "share_children", "coefficient": "-0.45", "value": {"share_of_members": {"aged": [0, 14]}},
           "title": {"es": "Proporción de niños de 0 a 14 años", "pt": "Proporção de crianças de 0 a 14 anos", "en": "Share of children aged 0-14"}},
          {"id": "share_elderly", "coefficient": "-0.10", "value": {"share_of_members": {"aged": [65, null]}},
           "title": {"es": "Proporción de personas de 65 años o más", "pt": "Proporção de pessoas de 65 anos ou mais", "en": "Share of people aged 65 or more"}},
          {"id": "rural", "coefficient": "-0.10", "value": {"indicator": {"field": "zone", "in": ["rural"]}},
           "title": {"es": "Zona rural", "pt": "Zona rural", "en": "Rural zone"}},
          {"id": "earth_floor", "coefficient": "-0.25", "value": {"indicator": {"field": "floor", "in": ["earth"]}},
           "title": {"es": "Piso de tierra", "pt": "Piso de terra", "en": "Earth floor"}},
          {"id": "precarious_walls", "coefficient": "-0.15", "value": {"indicator": {"field": "walls", "in": ["zinc", "cardboard", "none", "other"]}},
           "title": {"es": "Paredes precarias", "pt": "Paredes precárias", "en": "Precarious walls"}},
          {"id": "no_piped_water", "coefficient": "-0.12", "value": {"indicator": {"field": "water_source", "not_in": ["piped_dwelling", "piped_yard"]}},
           "title": {"es": "Sin agua por tubería", "pt": "Sem água encanada", "en": "No piped water"}},
          {"id": "unimproved_sanitation", "coefficient": "-0.18", "value": {"indicator": {"field": "sanitation", "in": ["unimproved_latrine", "none", "other"]}},
           "title": {"es": "Saneamiento no mejorado", "pt": "Saneamento não melhorado", "en": "Unimproved sanitation"}},
          {"id": "solid_fuel", "coefficient": "-0.20", "value": {"indicator": {"field": "cooking_fuel", "in": ["wood", "charcoal", "dung"]}},
           "title": {"es": "Cocina con leña, carbón o estiércol", "pt": "Cozinha com lenha, carvão ou esterco", "en": "Cooks with wood, charcoal or dung"}},
          {"id": "no_electricity", "coefficient": "-0.15", "value": {"indicator": {"field": "electricity", "equals": 0}},
           "title": {"es": "Sin electricidad", "pt": "Sem eletricidade", "en": "No electricity"}},
          {"id": "fridge", "coefficient": "0.18", "value": {"indicator": {"field": "asset_fridge", "equals": 1}},
           "title": {"es": "Tiene nevera", "pt": "Tem geladeira", "en": "Has a fridge"}},
          {"id": "computer", "coefficient": "0.30", "value": {"indicator": {"field": "asset_computer", "equals": 1}},
           "title": {"es": "Tiene computador", "pt": "Tem computador", "en": "Has a computer"}},
          {"id": "car", "coefficient": "0.35", "value": {"indicator": {"field": "asset_car", "equals": 1}},
           "title": {"es": "Tiene automóvil", "pt": "Tem automóvel", "en": "Has a car"}},
          {"id": "adult_schooling", "coefficient": "0.25",
           "value": {"indicator": {"mean_of_members": {"aged": [18, null], "field": "schooling_years"}, "at_least": 11}},
           "title": {"es": "Adultos con 11 años de estudio en promedio", "pt": "Adultos com 11 anos de estudo em média", "en": "Adults average 11 years of schooling"}},
          {"id": "pension_contributor", "coefficient": "0.20",
           "value": {"indicator": {"any_member": {"where": {"field": "pension_contributor", "equals": 1}}}},
           "title": {"es": "Alguien cotiza a pensión", "pt": "Alguém contribui para a previdência", "en": "Someone contributes to a pension"}}
        ],
        "groups": [
          {"id": "A", "below": "11.3", "title": {"es": "A: pobreza extrema", "pt": "A: pobreza extrema", "en": "A: extreme poverty"}},
          {"id": "B", "below": "11.9", "title": {"es": "B: pobreza moderada", "pt": "B: pobreza moderada", "en": "B: moderate poverty"}},
          {"id": "C", "below": "12.4", "title": {"es": "C: vulnerable", "pt": "C: vulnerável", "en": "C: vulnerable"}},
          {"id": "D", "title": {"es": "D: ni pobre ni vulnerable", "pt": "D: nem pobre nem vulnerável", "en": "D: neither poor nor vulnerable"}}
        ]
      }
    }
    """#)
}
