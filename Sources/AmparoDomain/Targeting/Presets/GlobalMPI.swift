extension TargetingPreset {
    /// The global MPI of OPHI and UNDP, as `shared/targeting-presets.md` adapts it to the questionnaire.
    static let globalMPI = TargetingPreset(name: "global-mpi", json: #"""
    {
      "name": "global-mpi",
      "version": 1,
      "kind": "mpi",
      "title": {
        "es": "IPM global (OPHI/PNUD)",
        "pt": "IPM global (OPHI/PNUD)",
        "en": "Global MPI (OPHI/UNDP)"
      },
      "description": {
        "es": "Diez indicadores en tres dimensiones de peso 1/3; un hogar es pobre cuando la suma ponderada de sus privaciones llega a 1/3.",
        "pt": "Dez indicadores em três dimensões de peso 1/3; um domicílio é pobre quando a soma ponderada das suas privações chega a 1/3.",
        "en": "Ten indicators in three dimensions weighted 1/3 each; a household is poor when its weighted deprivations reach 1/3."
      },
      "mpi": {
        "k": "1/3",
        "dimensions": [
          {"id": "health", "title": {"es": "Salud", "pt": "Saúde", "en": "Health"}},
          {"id": "education", "title": {"es": "Educación", "pt": "Educação", "en": "Education"}},
          {"id": "living_standards", "title": {"es": "Nivel de vida", "pt": "Padrão de vida", "en": "Living standards"}}
        ],
        "indicators": [
          {
            "id": "nutrition", "dimension": "health", "weight": "1/6",
            "title": {"es": "Nutrición", "pt": "Nutrição", "en": "Nutrition"},
            "deprived_when": {"any_member": {"where": {"field": "undernourished", "equals": 1}}}
          },
          {
            "id": "child_mortality", "dimension": "health", "weight": "1/6",
            "title": {"es": "Mortalidad infantil", "pt": "Mortalidade infantil", "en": "Child mortality"},
            "deprived_when": {"field": "child_death_5y", "equals": 1}
          },
          {
            "id": "years_of_schooling", "dimension": "education", "weight": "1/6",
            "title": {"es": "Años de escolaridad", "pt": "Anos de escolaridade", "en": "Years of schooling"},
            "deprived_when": {"no_member": {"aged": [10, null], "where": {"field": "schooling_years", "at_least": 6}}}
          },
          {
            "id": "school_attendance", "dimension": "education", "weight": "1/6",
            "title": {"es": "Asistencia escolar", "pt": "Frequência escolar", "en": "School attendance"},
            "deprived_when": {"any_member": {"aged": [6, 14], "where": {"field": "attends_school", "equals": 0}}}
          },
          {
            "id": "cooking_fuel", "dimension": "living_standards", "weight": "1/18",
            "title": {"es": "Combustible para cocinar", "pt": "Combustível para cozinhar", "en": "Cooking fuel"},
            "deprived_when": {"field": "cooking_fuel", "in": ["wood", "charcoal", "dung"]}
          },
          {
            "id": "sanitation", "dimension": "living_standards", "weight": "1/18",
            "title": {"es": "Saneamiento", "pt": "Saneamento", "en": "Sanitation"},
            "deprived_when": {"any": [
              {"field": "sanitation", "in": ["unimproved_latrine", "none", "other"]},
              {"field": "sanitation_shared", "equals": 1}]}
          },
          {
            "id": "drinking_water", "dimension": "living_standards", "weight": "1/18",
            "title": {"es": "Agua potable", "pt": "Água potável", "en": "Drinking water"},
            "deprived_when": {"any": [
              {"field": "water_source", "in": ["unprotected_well", "spring", "river", "rain", "truck", "other"]},
              {"field": "water_minutes", "above": 30}]}
          },
          {
            "id": "electricity", "dimension": "living_standards", "weight": "1/18",
            "title": {"es": "Electricidad", "pt": "Eletricidade", "en": "Electricity"},
            "deprived_when": {"field": "electricity", "equals": 0}
          },
          {
            "id": "housing", "dimension": "living_standards", "weight": "1/18",
            "title": {"es": "Vivienda", "pt": "Moradia", "en": "Housing"},
            "deprived_when": {"any": [
              {"field": "floor", "in": ["earth"]},
              {"field": "roof", "in": ["thatch"]},
              {"field": "walls", "in": ["cardboard", "none", "other"]}]}
          },
          {
            "id": "assets", "dimension": "living_standards", "weight": "1/18",
            "title": {"es": "Bienes", "pt": "Bens", "en": "Assets"},
            "deprived_when": {"all": [
              {"count_of": ["asset_radio", "asset_tv", "asset_phone", "asset_computer", "asset_animal_cart",
                            "asset_bicycle", "asset_motorbike", "asset_fridge"], "at_most": 1},
              {"field": "asset_car", "equals": 0}]}
          }
        ]
      }
    }
    """#)
}
