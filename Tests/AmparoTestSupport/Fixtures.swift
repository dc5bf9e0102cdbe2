/// A small registry in the exchange format: a country, a region, a municipality, two localities,
/// three households and their people, with names that test Unicode on the way in and out.
public enum Fixtures {
    public static let areas = """
        area_code,name,level,parent_code
        AM,República de Amparo,country,
        05,Antioquia,region,AM
        05001,Medellín,municipality,05
        05001001,San Javier,locality,05001
        05001002,Belén,locality,05001
        07,São Gonçalo,region,AM
        07001,Niterói,municipality,07

        """

    public static let households = """
        household_ref,area_code,zone,address,latitude,longitude,phone,sleeping_rooms,floor,walls,roof,water_source,water_minutes,sanitation,sanitation_shared,electricity,cooking_fuel,asset_radio,asset_tv,monthly_income,registered_on,program_code
        H1,05001001,urban,"Calle 45 # 12-30, apto 2",6.25184,-75.56359,+573001234567,2,cement,brick,zinc,piped_dwelling,0,sewer,0,1,gas,1,1,1250000.50,2025-03-14,PX-1
        H2,05001002,rural,Vereda El Placer,6.2,-75.6,,0,earth,bahareque,thatch,river,45,none,1,0,wood,0,0,180000,2025-04-02,
        H3,07001,urban,"Rua das Flores, 10",-22.88,-43.10,,3,tile,concrete,concrete,piped_dwelling,0,sewer,0,1,electricity,1,1,,2025-05-20,

        """

    public static let individuals = """
        person_ref,household_ref,relationship,id_type,id_number,given_names,first_surname,second_surname,sex,birth_date,ethnicity,literate,schooling_years,attends_school,wg_walking,email
        P1,H1,head,cc,1032456789,María José,Muñoz,Zúñiga,f,1984-02-29,none,1,11,0,1,maria.munoz@example.org
        P2,H1,child,ti,1122334455,Juan Pablo,Muñoz,,m,2014-07-01,none,1,5,1,1,
        P3,H2,head,cc,45678912,José Ángel,Nguyễn,Pérez,m,1950-12-31,indigenous,0,0,0,3,
        P4,H3,head,cpf,12345678909,João,da Silva,Gonçalves,m,1990-01-15,afrodescendant,1,12,0,1,
        P5,H3,spouse,,,Conceição,dos Santos,,f,1992-06-30,afrodescendant,1,14,0,1,

        """
}
