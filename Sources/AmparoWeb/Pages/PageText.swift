import AmparoDomain

/// Every word the pages show, in Spanish, Portuguese and English side by side, so that
/// none can be left untranslated. Templates read them as `{{t.key}}`.
enum PageText {
    static func words(_ language: Language) -> [String: String] {
        switch language {
        case .es: spanish
        case .pt: portuguese
        case .en: english
        }
    }

    private static let spanish = catalogue.mapValues(\.es)
    private static let portuguese = catalogue.mapValues(\.pt)
    private static let english = catalogue.mapValues(\.en)

    typealias L = LocalizedText

    static let catalogue: [String: LocalizedText] = [
        // The frame of every page.
        "skip_to_content": L(es: "Ir al contenido", pt: "Ir para o conteúdo", en: "Skip to content"),
        "nav_label": L(es: "Secciones", pt: "Seções", en: "Sections"),
        "nav_home": L(es: "Inicio", pt: "Início", en: "Home"),
        "nav_identity": L(es: "Duplicados", pt: "Duplicados", en: "Duplicates"),
        "nav_targeting": L(es: "Focalización", pt: "Focalização", en: "Targeting"),
        "language_choice": L(es: "Idioma", pt: "Idioma", en: "Language"),
        "footer": L(es: "Amparo · sistema de información de protección social",
                    pt: "Amparo · sistema de informação de proteção social",
                    en: "Amparo · social protection information system"),
        "error_back": L(es: "Volver al inicio", pt: "Voltar ao início", en: "Back to the start"),

        // The citizen portal.
        "portal_title": L(es: "Entrar a Amparo", pt: "Entrar no Amparo", en: "Sign in to Amparo"),
        "portal_intro": L(
            es: "Vea los datos de su hogar en el registro social y por qué quedó o no quedó en cada programa. Escriba el número de su documento de identidad: le enviaremos un código al teléfono o correo que el registro tiene de usted.",
            pt: "Veja os dados do seu domicílio no cadastro social e por que ele foi ou não foi selecionado em cada programa. Digite o número do seu documento de identidade: enviaremos um código para o telefone ou e-mail que o cadastro tem de você.",
            en: "See your household's data in the social registry and why it was or was not selected for each programme. Type the number of your identity document: we will send a code to the phone or e-mail the registry holds for you."),
        "portal_id_number": L(es: "Número de documento", pt: "Número do documento", en: "Document number"),
        "portal_send_code": L(es: "Enviar el código", pt: "Enviar o código", en: "Send the code"),
        "portal_number_missing": L(es: "Escriba el número de su documento.", pt: "Digite o número do seu documento.",
                                   en: "Type the number of your document."),
        "portal_no_contact": L(
            es: "Si el registro no tiene su teléfono ni su correo, acérquese a la oficina de su municipio con su documento.",
            pt: "Se o cadastro não tiver seu telefone nem seu e-mail, vá ao escritório do seu município com seu documento.",
            en: "If the registry has neither your phone nor your e-mail, go to your municipal office with your document."),
        "portal_code_title": L(es: "Escriba el código", pt: "Digite o código", en: "Type the code"),
        "portal_code_sent": L(
            es: "Si ese número está en el registro con un teléfono o un correo, le enviamos un código de 6 cifras. Vence en 10 minutos.",
            pt: "Se esse número está no cadastro com um telefone ou um e-mail, enviamos um código de 6 dígitos. Ele vence em 10 minutos.",
            en: "If that number is in the registry with a phone or an e-mail address, we sent it a 6-digit code. It expires in 10 minutes."),
        "portal_code": L(es: "Código", pt: "Código", en: "Code"),
        "portal_enter": L(es: "Entrar", pt: "Entrar", en: "Sign in"),
        "portal_code_wrong": L(
            es: "El código no es correcto, ya se usó o venció. Después de 5 intentos hay que pedir otro.",
            pt: "O código não está correto, já foi usado ou venceu. Depois de 5 tentativas é preciso pedir outro.",
            en: "The code is wrong, already used or expired. After 5 tries, ask for a new one."),
        "portal_start_again": L(es: "Pedir otro código", pt: "Pedir outro código", en: "Ask for another code"),
        "portal_household_title": L(es: "Su hogar", pt: "Seu domicílio", en: "Your household"),
        "portal_registry_number": L(es: "Número de registro", pt: "Número de cadastro", en: "Registry number"),
        "portal_results": L(es: "Por qué quedó o no quedó", pt: "Por que foi ou não foi selecionado",
                            en: "Why you were or were not selected"),
        "portal_results_intro": L(es: "Con los datos que el registro tiene hoy,", pt: "Com os dados que o cadastro tem hoje,",
                                  en: "With the data the registry holds today,"),
        "portal_because": L(es: "Por esto:", pt: "Por isto:", en: "Because of this:"),
        "portal_unknown": L(es: "Faltan estos datos:", pt: "Faltam estes dados:", en: "These data are missing:"),
        "portal_no_results": L(es: "Todavía no hay ninguna política publicada.", pt: "Ainda não há nenhuma política publicada.",
                               en: "No policy is published yet."),
        "portal_challenge": L(
            es: "Si un dato no es correcto, o no está de acuerdo con el resultado, tiene derecho a pedir que se revise: acérquese a la oficina de su municipio.",
            pt: "Se um dado não estiver correto, ou se não concordar com o resultado, você tem direito de pedir uma revisão: vá ao escritório do seu município.",
            en: "If a data item is wrong, or you disagree with the result, you have the right to ask for a review: go to your municipal office."),
        "portal_looks": L(es: "Quién consultó sus datos", pt: "Quem consultou seus dados", en: "Who looked at your data"),
        "portal_looks_intro": L(
            es: "Cada vez que alguien ve los datos de su hogar queda anotado: cuándo, quién, por dónde y para qué. Estas son las últimas.",
            pt: "Cada vez que alguém vê os dados do seu domicílio fica registrado: quando, quem, por onde e para quê. Estas são as últimas.",
            en: "Every time someone sees your household's data it is written down: when, who, through what and what for. These are the latest."),
        "portal_look_you": L(es: "Usted", pt: "Você", en: "You"),
        "portal_look_citizen": L(es: "Otra persona de su hogar", pt: "Outra pessoa do seu domicílio", en: "Another person of your household"),
        "portal_look_anonymous": L(es: "Un lector sin nombre (antes de que el personal iniciara sesión)",
                                   pt: "Um leitor sem nome (antes de a equipe entrar com login)",
                                   en: "An unnamed reader (before staff signed in)"),
        "portal_channel_office": L(es: "oficina", pt: "escritório", en: "office"),
        "portal_channel_api": L(es: "otro sistema (API)", pt: "outro sistema (API)", en: "another system (API)"),
        "portal_channel_portal": L(es: "este portal", pt: "este portal", en: "this portal"),
        "portal_purpose_merge": L(es: "unir dos registros de la misma persona", pt: "unir dois registros da mesma pessoa", en: "joining two records of the same person"),
        "portal_purpose_password": L(es: "inicio de sesión", pt: "entrada no sistema", en: "signing in"),
        "portal_purpose_second_factor": L(es: "inicio de sesión (segundo factor)", pt: "entrada no sistema (segundo fator)", en: "signing in (second factor)"),
        "portal_purpose_enrolment": L(es: "activación del segundo factor", pt: "ativação do segundo fator", en: "setting up a second factor"),
        "portal_purpose_client_credentials": L(es: "acceso de un sistema", pt: "acesso de um sistema", en: "a system signing in"),
        "portal_purpose_own_household": L(es: "ver su propio hogar", pt: "ver o próprio domicílio", en: "seeing their own household"),
        "portal_purpose_household_record": L(es: "consultar el hogar", pt: "consultar o domicílio", en: "looking up the household"),
        "portal_purpose_household_list": L(es: "listar hogares de un área", pt: "listar domicílios de uma área",
                                           en: "listing the households of an area"),
        "portal_purpose_person_record": L(es: "consultar a una persona", pt: "consultar uma pessoa", en: "looking up a person"),
        "portal_purpose_person_search": L(es: "buscar a una persona", pt: "buscar uma pessoa", en: "searching for a person"),
        "portal_purpose_change_history": L(es: "ver el historial de cambios", pt: "ver o histórico de alterações",
                                           en: "reading the history of changes"),
        "portal_purpose_clerical_review": L(es: "revisar posibles registros duplicados", pt: "revisar possíveis cadastros duplicados",
                                            en: "reviewing possible duplicate records"),
        "portal_purpose_registration_check": L(es: "comprobar si alguien ya estaba registrado", pt: "verificar se alguém já estava cadastrado",
                                               en: "checking whether someone was already registered"),
        "portal_purpose_targeting_explanation": L(es: "explicar su resultado en un programa", pt: "explicar o resultado num programa",
                                                  en: "explaining the household's result in a programme"),
        "portal_sign_out": L(es: "Salir", pt: "Sair", en: "Sign out"),
        "portal_footer": L(es: "Amparo · registro social. Nadie de Amparo le pedirá su código.",
                           pt: "Amparo · cadastro social. Ninguém do Amparo pedirá o seu código.",
                           en: "Amparo · social registry. Nobody from Amparo will ever ask for your code."),

        // The home page.
        // Staff sign-in.
        "title_sign_in": L(es: "Iniciar sesión", pt: "Entrar", en: "Sign in"),
        "sign_in_name": L(es: "Usuario", pt: "Usuário", en: "Account name"),
        "sign_in_password": L(es: "Contraseña", pt: "Senha", en: "Password"),
        "sign_in_button": L(es: "Entrar", pt: "Entrar", en: "Sign in"),
        "sign_in_refused": L(
            es: "El usuario o la contraseña no son correctos, o la cuenta está bloqueada por un tiempo. Inténtelo de nuevo más tarde o pida ayuda a un administrador.",
            pt: "O usuário ou a senha não estão corretos, ou a conta está bloqueada por um tempo. Tente de novo mais tarde ou peça ajuda a um administrador.",
            en: "The account name or the password is wrong, or the account is locked for a while. Try again later or ask an administrator."),
        // Signing in with the country's digital identity (OpenID Connect), staff and citizens alike.
        "oidc_sign_in": L(es: "Entrar con la identidad digital nacional", pt: "Entrar com a identidade digital nacional",
                          en: "Sign in with the national digital identity"),
        "oidc_signed_in": L(es: "Ha entrado", pt: "Você entrou", en: "Signed in"),
        "oidc_continue": L(es: "Continuar", pt: "Continuar", en: "Continue"),
        "oidc_unavailable": L(
            es: "La identidad digital nacional no responde en este momento. Inténtelo más tarde o entre de otra forma.",
            pt: "A identidade digital nacional não responde neste momento. Tente mais tarde ou entre de outra forma.",
            en: "The national digital identity is not answering right now. Try again later or sign in another way."),
        "portal_oidc_refused": L(
            es: "No se pudo entrar con la identidad digital nacional. Puede entrar con el número de su documento y un código.",
            pt: "Não foi possível entrar com a identidade digital nacional. Você pode entrar com o número do seu documento e um código.",
            en: "Signing in with the national digital identity did not work. You can sign in with your document number and a code."),
        "portal_purpose_oidc": L(es: "inicio de sesión con la identidad digital nacional", pt: "entrada com a identidade digital nacional",
                                 en: "signing in with the national digital identity"),
        "sign_out": L(es: "Salir", pt: "Sair", en: "Sign out"),
        "title_second_factor": L(es: "Segundo factor", pt: "Segundo fator", en: "Second factor"),
        "second_factor_intro": L(
            es: "Escriba el código de 6 cifras que muestra su aplicación de autenticación, o uno de sus códigos de recuperación.",
            pt: "Digite o código de 6 dígitos que seu aplicativo autenticador mostra, ou um dos seus códigos de recuperação.",
            en: "Type the 6-digit code your authenticator app shows, or one of your recovery codes."),
        "second_factor_code": L(es: "Código", pt: "Código", en: "Code"),
        "second_factor_refused": L(
            es: "Ese código no es válido o ya se usó. Espere el siguiente y vuelva a intentarlo.",
            pt: "Esse código não é válido ou já foi usado. Espere o próximo e tente de novo.",
            en: "That code is not valid or was used already. Wait for the next one and try again."),
        "title_enrol": L(es: "Active su segundo factor", pt: "Ative seu segundo fator", en: "Set up your second factor"),
        "enrol_intro": L(
            es: "Su cuenta puede cambiar datos o ver más de un municipio, así que pide un segundo factor. Añada Amparo a una aplicación de autenticación (TOTP) con el enlace o la clave, y escriba el primer código que muestre.",
            pt: "Sua conta pode alterar dados ou ver mais de um município, por isso pede um segundo fator. Adicione o Amparo a um aplicativo autenticador (TOTP) com o link ou a chave, e digite o primeiro código que ele mostrar.",
            en: "Your account can change data or see more than one municipality, so it needs a second factor. Add Amparo to an authenticator app (TOTP) with the link or the key, and type the first code it shows."),
        "enrol_link": L(es: "Abrir en la aplicación de autenticación", pt: "Abrir no aplicativo autenticador", en: "Open in the authenticator app"),
        "enrol_secret": L(es: "Clave para escribir a mano:", pt: "Chave para digitar à mão:", en: "Key to type by hand:"),
        "enrol_code": L(es: "Primer código", pt: "Primeiro código", en: "First code"),
        "enrol_button": L(es: "Activar", pt: "Ativar", en: "Turn on"),
        "title_recovery_codes": L(es: "Códigos de recuperación", pt: "Códigos de recuperação", en: "Recovery codes"),
        "recovery_intro": L(
            es: "Guarde estos códigos en un lugar seguro: cada uno sirve una vez en lugar del código de la aplicación, si pierde el teléfono. No se volverán a mostrar.",
            pt: "Guarde estes códigos em um lugar seguro: cada um serve uma vez no lugar do código do aplicativo, se você perder o telefone. Eles não serão mostrados de novo.",
            en: "Keep these codes somewhere safe: each works once instead of the app's code, should you lose your phone. They will not be shown again."),
        "recovery_continue": L(es: "Continuar a la oficina", pt: "Continuar para o escritório", en: "Go on to the back office"),

        "title_home": L(es: "Oficina", pt: "Escritório", en: "Back office"),
        "home_registry": L(es: "El registro", pt: "O cadastro", en: "The registry"),
        "home_households": L(es: "Hogares", pt: "Domicílios", en: "Households"),
        "home_individuals": L(es: "Personas", pt: "Pessoas", en: "Persons"),
        "home_areas": L(es: "Áreas", pt: "Áreas", en: "Areas"),
        "home_work": L(es: "Trabajo pendiente", pt: "Trabalho pendente", en: "Work waiting"),

        // Runs of any kind.
        "run_number": L(es: "Corrida", pt: "Execução", en: "Run"),
        "run_status": L(es: "Estado", pt: "Situação", en: "Status"),
        "run_started": L(es: "Iniciada", pt: "Iniciada", en: "Started"),
        "run_finished": L(es: "Terminada", pt: "Concluída", en: "Finished"),
        "status_running": L(es: "en curso o detenida", pt: "em andamento ou interrompida", en: "running or stopped"),
        "status_completed": L(es: "terminada", pt: "concluída", en: "completed"),

        // Deduplication runs and the clerical review.
        "title_identity": L(es: "Personas registradas más de una vez", pt: "Pessoas cadastradas mais de uma vez",
                            en: "Persons registered more than once"),
        "identity_intro": L(
            es: "Cada corrida compara a todas las personas del registro y propone pares que pueden ser la misma persona. Los más seguros se enlazan; los dudosos esperan aquí la decisión de una persona.",
            pt: "Cada execução compara todas as pessoas do cadastro e propõe pares que podem ser a mesma pessoa. Os mais seguros são ligados; os duvidosos esperam aqui a decisão de uma pessoa.",
            en: "Each run compares every person in the registry and proposes pairs that may be the same person. The surest are linked; the doubtful ones wait here for a person to decide."),
        "identity_no_runs": L(
            es: "Todavía no hay ninguna corrida. Se inicia con «amparo dedup run».",
            pt: "Ainda não há nenhuma execução. Ela é iniciada com «amparo dedup run».",
            en: "There is no run yet. Start one with `amparo dedup run`."),
        "identity_runs_caption": L(es: "Corridas de deduplicación, la más reciente primero",
                                   pt: "Execuções de deduplicação, a mais recente primeiro",
                                   en: "Deduplication runs, the latest first"),
        "identity_persons": L(es: "Personas comparadas", pt: "Pessoas comparadas", en: "Persons compared"),
        "identity_linked": L(es: "Pares enlazados", pt: "Pares ligados", en: "Pairs linked"),
        "identity_to_review": L(es: "Pares por revisar", pt: "Pares a revisar", en: "Pairs to review"),
        "identity_thresholds": L(es: "Umbrales", pt: "Limiares", en: "Thresholds"),
        "review_how": L(
            es: "Compare los dos registros campo por campo. «Misma persona» une el segundo registro al primero: ambos se conservan con su historial y la unión se puede deshacer.",
            pt: "Compare os dois registros campo a campo. «Mesma pessoa» une o segundo registro ao primeiro: ambos são mantidos com seu histórico e a união pode ser desfeita.",
            en: "Compare the two records field by field. “Same person” merges the second record into the first: both are kept with their history, and the merge can be undone."),
        "review_empty": L(es: "No queda ningún par por revisar en esta página.", pt: "Não resta nenhum par a revisar nesta página.",
                          en: "No pair is left to review on this page."),
        "review_pair": L(es: "Par", pt: "Par", en: "Pair"),
        "review_side_by_side": L(es: "Los dos registros lado a lado", pt: "Os dois registros lado a lado",
                                 en: "Both records side by side"),
        "review_field": L(es: "Dato", pt: "Dado", en: "Field"),
        "review_first": L(es: "Primer registro", pt: "Primeiro registro", en: "First record"),
        "review_second": L(es: "Segundo registro", pt: "Segundo registro", en: "Second record"),
        "review_agreement": L(es: "Coincidencia", pt: "Concordância", en: "Agreement"),
        "review_next": L(es: "Pares siguientes", pt: "Próximos pares", en: "Next pairs"),
        "review_undo": L(es: "Deshacer la unión", pt: "Desfazer a união", en: "Undo the merge"),
        "decision_same": L(es: "Misma persona", pt: "Mesma pessoa", en: "Same person"),
        "decision_different": L(es: "Personas distintas", pt: "Pessoas diferentes", en: "Different persons"),
        "decision_skip": L(es: "Decidir después", pt: "Decidir depois", en: "Decide later"),
        "level_missing": L(es: "falta en uno de los dos", pt: "falta em um dos dois", en: "missing on one side"),

        // Targeting runs and their figures.
        "title_targeting": L(es: "Corridas de focalización", pt: "Execuções de focalização", en: "Targeting runs"),
        "targeting_intro": L(
            es: "Cada corrida puntúa a todos los hogares con una política publicada (o una simulación de un borrador) en una fecha de referencia, y guarda el resultado de cada hogar con sus razones.",
            pt: "Cada execução pontua todos os domicílios com uma política publicada (ou uma simulação de um rascunho) em uma data de referência, e guarda o resultado de cada domicílio com suas razões.",
            en: "Each run scores every household under a published policy (or simulates a draft) at a reference date, and keeps each household's result with its reasons."),
        "targeting_no_runs": L(
            es: "Todavía no hay ninguna corrida. Se inicia con «amparo target run --policy colombia-mpi».",
            pt: "Ainda não há nenhuma execução. Ela é iniciada com «amparo target run --policy colombia-mpi».",
            en: "There is no run yet. Start one with `amparo target run --policy colombia-mpi`."),
        "targeting_runs_caption": L(es: "Corridas de focalización, la más reciente primero",
                                    pt: "Execuções de focalização, a mais recente primeiro",
                                    en: "Targeting runs, the latest first"),
        "targeting_policy": L(es: "Política", pt: "Política", en: "Policy"),
        "targeting_purpose": L(es: "Tipo", pt: "Tipo", en: "Kind"),
        "targeting_reference_date": L(es: "Fecha de referencia", pt: "Data de referência", en: "Reference date"),
        "purpose_run": L(es: "corrida", pt: "execução", en: "run"),
        "purpose_simulation": L(es: "simulación", pt: "simulação", en: "simulation"),
        "whole_country": L(es: "Todo el país", pt: "Todo o país", en: "The whole country"),
        "figures_counting": L(es: "Contar", pt: "Contar", en: "Count"),
        "figures_level": L(es: "Áreas por", pt: "Áreas por", en: "Areas by"),
        "weighting_households": L(es: "hogares", pt: "domicílios", en: "households"),
        "weighting_persons": L(es: "personas", pt: "pessoas", en: "persons"),
        "level_country": L(es: "País", pt: "País", en: "Country"),
        "level_region": L(es: "Regiones", pt: "Regiões", en: "Regions"),
        "level_province": L(es: "Provincias", pt: "Províncias", en: "Provinces"),
        "level_municipality": L(es: "Municipios", pt: "Municípios", en: "Municipalities"),
        "level_locality": L(es: "Localidades", pt: "Localidades", en: "Localities"),
        "figures_whole": L(es: "En todo el alcance de la corrida", pt: "Em todo o alcance da execução", en: "Across the whole run"),
        "figures_area": L(es: "Área", pt: "Área", en: "Area"),
        "figures_group": L(es: "Grupo", pt: "Grupo", en: "Group"),
        "group_zone": L(es: "Por zona", pt: "Por zona", en: "By zone"),
        "group_head_sex": L(es: "Por sexo de la jefatura del hogar", pt: "Por sexo do responsável pelo domicílio",
                            en: "By sex of the head of household"),
        "group_head_ethnicity": L(es: "Por etnia de la jefatura del hogar", pt: "Por etnia do responsável pelo domicílio",
                                  en: "By ethnicity of the head of household"),
        "figures_population": L(es: "Población", pt: "População", en: "Population"),
        "figures_poor": L(es: "En pobreza", pt: "Em pobreza", en: "Poor"),
        "figures_h": L(es: "Incidencia H", pt: "Incidência H", en: "Headcount H"),
        "figures_a": L(es: "Intensidad A", pt: "Intensidade A", en: "Intensity A"),
        "figures_m0": L(es: "IPM M0", pt: "IPM M0", en: "MPI M0"),
        "figures_missing": L(es: "Sin datos suficientes", pt: "Sem dados suficientes", en: "Missing data"),
        "figures_mpi_note": L(
            es: "H es la proporción en pobreza, A la privación media de quienes están en pobreza, M0 = H × A. Quienes no tienen datos suficientes quedan fuera de H, A y M0 y se cuentan aparte.",
            pt: "H é a proporção em pobreza, A a privação média de quem está em pobreza, M0 = H × A. Quem não tem dados suficientes fica fora de H, A e M0 e é contado à parte.",
            en: "H is the share who are poor, A the mean deprivation score of the poor, M0 = H × A. Those without enough data are left out of H, A and M0 and counted apart."),
        "figures_indicators": L(es: "Indicadores", pt: "Indicadores", en: "Indicators"),
        "figures_indicator": L(es: "Indicador", pt: "Indicador", en: "Indicator"),
        "figures_weight": L(es: "Peso", pt: "Peso", en: "Weight"),
        "figures_uncensored": L(es: "Privados", pt: "Privados", en: "Deprived"),
        "figures_censored": L(es: "Pobres y privados", pt: "Pobres e privados", en: "Poor and deprived"),
        "figures_contribution": L(es: "Contribución a M0", pt: "Contribuição para M0", en: "Contribution to M0"),
        "zone_urban": L(es: "urbana", pt: "urbana", en: "urban"),
        "zone_rural": L(es: "rural", pt: "rural", en: "rural"),
        "zone_unknown": L(es: "sin dato", pt: "sem dado", en: "unknown"),
        "sex_unknown": L(es: "sin dato", pt: "sem dado", en: "unknown"),
        "ethnicity_none": L(es: "ninguna", pt: "nenhuma", en: "none"),
        "ethnicity_indigenous": L(es: "indígena", pt: "indígena", en: "indigenous"),
        "ethnicity_afrodescendant": L(es: "afrodescendiente", pt: "afrodescendente", en: "afro-descendant"),
        "ethnicity_rrom": L(es: "rrom (gitana)", pt: "rom (cigana)", en: "Rrom (Roma)"),
        "ethnicity_unknown": L(es: "sin dato", pt: "sem dado", en: "unknown"),

        "cost_question": L(es: "¿Cuánto costaría un beneficio?", pt: "Quanto custaria um benefício?", en: "What would a benefit cost?"),
        "cost_benefit": L(es: "Monto por pago", pt: "Valor por pagamento", en: "Amount per payment"),
        "cost_paid_to": L(es: "Se paga a cada", pt: "É pago a cada", en: "Paid to each"),
        "per_household": L(es: "hogar", pt: "domicílio", en: "household"),
        "per_person": L(es: "persona", pt: "pessoa", en: "person"),
        "cost_classes": L(es: "Clases que lo reciben", pt: "Classes que o recebem", en: "Classes that receive it"),
        "cost_compute": L(es: "Calcular", pt: "Calcular", en: "Compute"),
        "cost_per_payment": L(es: "Costo por pago", pt: "Custo por pagamento", en: "Cost per payment"),
        "cost_note": L(
            es: "Hogares y personas en las clases elegidas, según esta corrida; los hogares con datos faltantes no se cuentan.",
            pt: "Domicílios e pessoas nas classes escolhidas, segundo esta execução; os domicílios com dados faltantes não são contados.",
            en: "Households and persons in the classes chosen, as this run found them; households with missing data are not counted."),
        "map_no_data": L(es: "sin datos", pt: "sem dados", en: "no data"),
        "map_legend": L(es: "Leyenda", pt: "Legenda", en: "Legend"),

        // A household, as a caseworker sees it.
        "household_members": L(es: "Integrantes", pt: "Integrantes", en: "Members"),
        "household_assessment": L(es: "Resultado y sus razones", pt: "Resultado e suas razões", en: "Result and its reasons"),
        "household_choose_policy": L(
            es: "Elija una política para ver el resultado del hogar con sus datos de hoy, indicador por indicador, y qué lo cambiaría.",
            pt: "Escolha uma política para ver o resultado do domicílio com seus dados de hoje, indicador por indicador, e o que o mudaria.",
            en: "Choose a policy to see the household's result on its current data, indicator by indicator, and what would change it."),
        "household_find": L(es: "Buscar un hogar por su número de registro", pt: "Buscar um domicílio pelo número de cadastro",
                            en: "Find a household by its registry number"),
        "household_find_button": L(es: "Buscar", pt: "Buscar", en: "Find"),
        "member_name": L(es: "Nombre", pt: "Nome", en: "Name"),
        "member_relationship": L(es: "Parentesco", pt: "Parentesco", en: "Relationship"),
        "relationship_head": L(es: "jefatura", pt: "responsável", en: "head"),
        "relationship_spouse": L(es: "cónyuge", pt: "cônjuge", en: "spouse"),
        "relationship_child": L(es: "hijo o hija", pt: "filho ou filha", en: "child"),
        "relationship_grandchild": L(es: "nieto o nieta", pt: "neto ou neta", en: "grandchild"),
        "relationship_parent": L(es: "padre o madre", pt: "pai ou mãe", en: "parent"),
        "relationship_sibling": L(es: "hermano o hermana", pt: "irmão ou irmã", en: "sibling"),
        "relationship_other_relative": L(es: "otro pariente", pt: "outro parente", en: "other relative"),
        "relationship_non_relative": L(es: "no pariente", pt: "não parente", en: "non-relative"),
        "finding_status": L(es: "Situación", pt: "Situação", en: "Status"),
        "finding_evidence": L(es: "Datos en que se basa", pt: "Dados em que se baseia", en: "Answers it rests on"),
        "finding_decisive": L(es: "su cambio cambiaría el resultado", pt: "sua mudança mudaria o resultado",
                              en: "a change here would change the result"),
        "finding_yes": L(es: "privado / se cumple", pt: "privado / se cumpre", en: "deprived / holds"),
        "finding_no": L(es: "no privado / no se cumple", pt: "não privado / não se cumpre", en: "not deprived / does not hold"),
        "finding_unknown": L(es: "faltan datos", pt: "faltam dados", en: "data missing"),

        // The fields a reviewer compares.
        "field_given_names": L(es: "Nombres", pt: "Prenomes", en: "Given names"),
        "field_surnames": L(es: "Apellidos", pt: "Sobrenomes", en: "Surnames"),
        "field_birth_date": L(es: "Fecha de nacimiento", pt: "Data de nascimento", en: "Date of birth"),
        "field_sex": L(es: "Sexo", pt: "Sexo", en: "Sex"),
        "field_id_number": L(es: "Documento", pt: "Documento", en: "ID document"),
        "field_phone": L(es: "Teléfono", pt: "Telefone", en: "Phone"),
        "field_region": L(es: "Área", pt: "Área", en: "Area"),
        "field_place": L(es: "Hogar", pt: "Domicílio", en: "Household"),
        "sex_f": L(es: "mujer", pt: "mulher", en: "female"),
        "sex_m": L(es: "hombre", pt: "homem", en: "male"),
        "sex_x": L(es: "otro", pt: "outro", en: "other"),
    ]
}

/// The sentences of the pages that carry figures or names.
enum PageSentence: Sendable {
    case reviewTitle(run: String)
    case reviewSummary(persons: String, waiting: String, link: String, review: String)
    case decided(String)
    case merged(right: String, left: String)
    case undone
    case thresholds(link: String, review: String)
    case pairsWaiting(String)
    case runsKept(String)
    case probability(String)
    case householdTitle(String)
    case scoreAgainstCutoff(score: String, cutoff: String)
    case mapTitle(measure: String, level: String)
    case costTitle(amount: String, per: String)
    case runTitle(run: String)
    case runSummary(policy: String, reference: String, date: String, households: String)
    case notFound

    func text(in language: Language) -> String {
        let (en, es, pt) = translations
        switch language {
        case .en: return en
        case .es: return es
        case .pt: return pt
        }
    }

    private var translations: (String, String, String) {
        switch self {
        case .reviewTitle(let run):
            ("Clerical review of run \(run)", "Revisión de la corrida \(run)", "Revisão da execução \(run)")
        case .reviewSummary(let persons, let waiting, let link, let review):
            ("\(persons) persons compared. \(waiting) pairs wait for a decision: their probability of being the same person is between \(review) and \(link).",
             "\(persons) personas comparadas. \(waiting) pares esperan una decisión: su probabilidad de ser la misma persona está entre \(review) y \(link).",
             "\(persons) pessoas comparadas. \(waiting) pares esperam uma decisão: sua probabilidade de serem a mesma pessoa está entre \(review) e \(link).")
        case .decided(let decision):
            ("Decision recorded: \(decision).", "Decisión registrada: \(decision).", "Decisão registrada: \(decision).")
        case .merged(let right, let left):
            ("Record \(right) now points to record \(left); both are kept.",
             "El registro \(right) apunta ahora al registro \(left); ambos se conservan.",
             "O registro \(right) agora aponta para o registro \(left); ambos são mantidos.")
        case .undone:
            ("The merge was undone; both records stand on their own again.",
             "La unión se deshizo; los dos registros vuelven a ser independientes.",
             "A união foi desfeita; os dois registros voltam a ser independentes.")
        case .thresholds(let link, let review):
            ("linked from \(link), review from \(review)", "enlace desde \(link), revisión desde \(review)",
             "ligação a partir de \(link), revisão a partir de \(review)")
        case .pairsWaiting(let count):
            ("\(count) pairs wait for review", "\(count) pares esperan revisión", "\(count) pares esperam revisão")
        case .runsKept(let count):
            ("\(count) runs kept", "\(count) corridas guardadas", "\(count) execuções guardadas")
        case .runTitle(let run):
            ("Targeting run \(run)", "Corrida de focalización \(run)", "Execução de focalização \(run)")
        case .runSummary(let policy, let reference, let date, let households):
            ("\(policy) (\(reference)), at \(date): \(households) households scored.",
             "\(policy) (\(reference)), al \(date): \(households) hogares puntuados.",
             "\(policy) (\(reference)), em \(date): \(households) domicílios pontuados.")
        case .costTitle(let amount, let per):
            ("Cost of \(amount) per \(per)", "Costo de \(amount) por \(per)", "Custo de \(amount) por \(per)")
        case .mapTitle(let measure, let level):
            ("\(measure) — \(level)", "\(measure) — \(level)", "\(measure) — \(level)")
        case .householdTitle(let number):
            ("Household \(number)", "Hogar \(number)", "Domicílio \(number)")
        case .scoreAgainstCutoff(let score, let cutoff):
            ("Deprivation score \(score), against a cut-off of \(cutoff)",
             "Puntaje de privación \(score), frente a un umbral de \(cutoff)",
             "Pontuação de privação \(score), frente a um limiar de \(cutoff)")
        case .probability(let share):
            ("probability \(share)", "probabilidad \(share)", "probabilidade \(share)")
        case .notFound:
            ("There is no page at this address.", "No hay ninguna página en esta dirección.", "Não há nenhuma página neste endereço.")
        }
    }
}
