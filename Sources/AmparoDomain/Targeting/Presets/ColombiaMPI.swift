extension TargetingPreset {
    /// Colombia's multidimensional poverty index (DNP, 2011), as `shared/targeting-presets.md`
    /// adapts it to the questionnaire.
    static let colombiaMPI = TargetingPreset(name: "colombia-mpi", json: #"""
    {
      "name": "colombia-mpi",
      "version": 1,
      "kind": "mpi",
      "title": {
        "es": "IPM Colombia (DNP 2011)",
        "pt": "IPM Colômbia (DNP 2011)",
        "en": "Colombia MPI (DNP 2011)"
      },
      "description": {
        "es": "Quince privaciones en cinco dimensiones de peso 0,2; un hogar es pobre cuando la suma ponderada de sus privaciones llega a 0,33.",
        "pt": "Quinze privações em cinco dimensões de peso 0,2; um domicílio é pobre quando a soma ponderada das suas privações chega a 0,33.",
        "en": "Fifteen deprivations in five dimensions weighted 0.2 each; a household is poor when its weighted deprivations reach 0.33."
      },
      "mpi": {
        "k": "0.33",
        "dimensions": [
          {"id": "education", "title": {"es": "Condiciones educativas del hogar", "pt": "Condições educacionais do domicílio", "en": "Household education"}},
          {"id": "childhood", "title": {"es": "Condiciones de la niñez y la juventud", "pt": "Condições da infância e da juventude", "en": "Childhood and youth"}},
          {"id": "work", "title": {"es": "Trabajo", "pt": "Trabalho", "en": "Work"}},
          {"id": "health", "title": {"es": "Salud", "pt": "Saúde", "en": "Health"}},
          {"id": "housing", "title": {"es": "Servicios públicos y vivienda", "pt": "Serviços públicos e moradia", "en": "Utilities and housing"}}
        ],
        "indicators": [
          {
            "id": "low_educational_achievement", "dimension": "education", "weight": "0.1",
            "title": {"es": "Bajo logro educativo", "pt": "Baixa escolaridade", "en": "Low educational achievement"},
            "deprived_when": {"mean_of_members": {"aged": [15, null], "field": "schooling_years"}, "below": 9}
          },
          {
            "id": "illiteracy", "dimension": "education", "weight": "0.1",
            "title": {"es": "Analfabetismo", "pt": "Analfabetismo", "en": "Illiteracy"},
            "deprived_when": {"any_member": {"aged": [15, null], "where": {"field": "literate", "equals": 0}}}
          },
          {
            "id": "school_non_attendance", "dimension": "childhood", "weight": "0.05",
            "title": {"es": "Inasistencia escolar", "pt": "Não frequência escolar", "en": "School non-attendance"},
            "deprived_when": {"any_member": {"aged": [6, 16], "where": {"field": "attends_school", "equals": 0}}}
          },
          {
            "id": "school_lag", "dimension": "childhood", "weight": "0.05",
            "title": {"es": "Rezago escolar", "pt": "Atraso escolar", "en": "School lag"},
            "deprived_when": {"any_member": {"aged": [7, 17], "where": {"sum": {"age": 1, "schooling_years": -1}, "plus": -6, "at_least": 2}}}
          },
          {
            "id": "early_childhood_barriers", "dimension": "childhood", "weight": "0.05",
            "title": {"es": "Barreras de acceso a servicios para el cuidado de la primera infancia", "pt": "Barreiras de acesso a serviços de cuidado na primeira infância", "en": "Barriers to early childhood services"},
            "deprived_when": {"any_member": {"aged": [0, 5], "where": {"field": "early_childhood_care", "equals": 0}}}
          },
          {
            "id": "child_labour", "dimension": "childhood", "weight": "0.05",
            "title": {"es": "Trabajo infantil", "pt": "Trabalho infantil", "en": "Child labour"},
            "deprived_when": {"any_member": {"aged": [12, 17], "where": {"field": "works", "equals": 1}}}
          },
          {
            "id": "long_term_unemployment", "dimension": "work", "weight": "0.1",
            "title": {"es": "Desempleo de larga duración", "pt": "Desemprego de longa duração", "en": "Long-term unemployment"},
            "deprived_when": {"any_member": {"where": {"field": "unemployed_months", "at_least": 12}}}
          },
          {
            "id": "informal_work", "dimension": "work", "weight": "0.1",
            "title": {"es": "Trabajo informal", "pt": "Trabalho informal", "en": "Informal work"},
            "deprived_when": {"any_member": {"aged": [18, null], "where": {"all": [
              {"field": "works", "equals": 1}, {"field": "pension_contributor", "equals": 0}]}}}
          },
          {
            "id": "no_health_insurance", "dimension": "health", "weight": "0.1",
            "title": {"es": "Sin aseguramiento en salud", "pt": "Sem seguro de saúde", "en": "No health insurance"},
            "deprived_when": {"any_member": {"aged": [5, null], "where": {"field": "health_insurance", "equals": 0}}}
          },
          {
            "id": "health_access_barriers", "dimension": "health", "weight": "0.1",
            "title": {"es": "Barreras de acceso a servicios de salud", "pt": "Barreiras de acesso a serviços de saúde", "en": "Barriers to health services"},
            "deprived_when": {"any_member": {"where": {"all": [
              {"field": "needed_care_30d", "equals": 1}, {"field": "received_care_30d", "equals": 0}]}}}
          },
          {
            "id": "no_improved_water", "dimension": "housing", "weight": "0.04",
            "title": {"es": "Sin acceso a fuente de agua mejorada", "pt": "Sem acesso a fonte de água melhorada", "en": "No improved water source"},
            "deprived_when": {"by_zone": {
              "urban": {"field": "water_source", "not_in": ["piped_dwelling", "piped_yard"]},
              "rural": {"field": "water_source", "in": ["unprotected_well", "spring", "river", "rain", "truck", "other"]}}}
          },
          {
            "id": "inadequate_sanitation", "dimension": "housing", "weight": "0.04",
            "title": {"es": "Inadecuada eliminación de excretas", "pt": "Esgotamento sanitário inadequado", "en": "Inadequate sanitation"},
            "deprived_when": {"by_zone": {
              "urban": {"field": "sanitation", "not_in": ["sewer"]},
              "rural": {"field": "sanitation", "in": ["unimproved_latrine", "none", "other"]}}}
          },
          {
            "id": "inadequate_floors", "dimension": "housing", "weight": "0.04",
            "title": {"es": "Pisos inadecuados", "pt": "Pisos inadequados", "en": "Inadequate floors"},
            "deprived_when": {"field": "floor", "in": ["earth"]}
          },
          {
            "id": "inadequate_walls", "dimension": "housing", "weight": "0.04",
            "title": {"es": "Paredes exteriores inadecuadas", "pt": "Paredes externas inadequadas", "en": "Inadequate exterior walls"},
            "deprived_when": {"by_zone": {
              "urban": {"field": "walls", "in": ["wood", "zinc", "cardboard", "none", "other"]},
              "rural": {"field": "walls", "in": ["zinc", "cardboard", "none", "other"]}}}
          },
          {
            "id": "critical_overcrowding", "dimension": "housing", "weight": "0.04",
            "title": {"es": "Hacinamiento crítico", "pt": "Adensamento crítico", "en": "Critical overcrowding"},
            "deprived_when": {"by_zone": {
              "urban": {"members_per": "sleeping_rooms", "at_least": 3, "when_zero": true},
              "rural": {"members_per": "sleeping_rooms", "above": 3, "when_zero": true}}}
          }
        ]
      }
    }
    """#)
}
