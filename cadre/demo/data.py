"""The fixed material the demo is generated from: names, the shape of each organisation, tiers,
councillors and the demo sign-ins. All of it is made up; any likeness to a real council is
chance. Kept as plain data so that the generator's output depends only on this and its seed."""

from dataclasses import dataclass
from datetime import date

DEMO_PASSWORD = "cadre-demo-2026"
DEMO_SEED = 2026
# The day the figures describe; start and leaving dates fall before it, whatever today is.
AS_AT = date(2025, 12, 31)

# --- names -----------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aaliyah", "Abdul", "Adam", "Adebayo", "Aisha", "Alan", "Alexander", "Alice", "Alison", "Amanda",
    "Amir", "Amy", "Andrew", "Angela", "Anil", "Ann", "Anna", "Anthony", "Arjun", "Ayesha",
    "Barbara", "Ben", "Bethan", "Bilal", "Bronwen", "Carl", "Caroline", "Catherine", "Ceri", "Charlotte",
    "Chidi", "Chloe", "Chris", "Ciaran", "Claire", "Colin", "Craig", "Dale", "Daniel", "Darren",
    "Deborah", "Declan", "Deepa", "Dylan", "Eilidh", "Elaine", "Eleanor", "Elif", "Emeka", "Emily",
    "Emma", "Eoin", "Farah", "Fatima", "Femi", "Fiona", "Funmilayo", "Gareth", "Gemma", "Georgia",
    "Gerard", "Grace", "Graham", "Gurpreet", "Hamza", "Hannah", "Harpreet", "Harry", "Hassan", "Hayley",
    "Helen", "Ian", "Ibrahim", "Imran", "Isabel", "Isla", "Jack", "Jacob", "Jade", "Jagdeep",
    "James", "Jane", "Jasmine", "Jason", "Jennifer", "Jessica", "Joanne", "John", "Jonathan", "Joseph",
    "Julie", "Karen", "Kate", "Katarzyna", "Keith", "Kelly", "Kemi", "Kevin", "Kieran", "Kofi",
    "Laura", "Lauren", "Leanne", "Lee", "Leila", "Liam", "Lisa", "Louise", "Lucy", "Mandeep",
    "Marcus", "Mark", "Martin", "Mary", "Matthew", "Mehmet", "Megan", "Michael", "Michelle", "Mohammed",
    "Naomi", "Natalie", "Navdeep", "Neil", "Nia", "Nicola", "Niamh", "Nikhil", "Nkechi", "Oliver",
    "Olumide", "Owen", "Patrick", "Paul", "Peter", "Piotr", "Priya", "Rachel", "Rebecca", "Rhys",
    "Richard", "Rita", "Robert", "Rohan", "Ruth", "Ryan", "Sadia", "Samantha", "Samuel", "Sanjay",
    "Sarah", "Sean", "Shabana", "Sharon", "Shauna", "Simon", "Sinead", "Sophie", "Stephen", "Stuart",
    "Sunita", "Susan", "Tariq", "Thomas", "Tomasz", "Tracey", "Tunde", "Umar", "Vanessa", "Victoria",
    "Wayne", "William", "Yasmin", "Yusuf", "Zainab", "Zara", "Zoe",
)  # fmt: skip

LAST_NAMES = (
    "Adams", "Adeyemi", "Ahmed", "Ali", "Allen", "Anderson", "Appiah", "Armstrong", "Atkinson", "Bailey",
    "Baker", "Banerjee", "Barker", "Begum", "Bell", "Bennett", "Bhatt", "Bibi", "Bird", "Boateng",
    "Bradley", "Brennan", "Brooks", "Brown", "Burke", "Butler", "Byrne", "Campbell", "Carter", "Chapman",
    "Chaudhry", "Chen", "Clark", "Clarke", "Cole", "Collins", "Cooper", "Cox", "Davies", "Dawson",
    "Demir", "Desai", "Dixon", "Doherty", "Duffy", "Edwards", "Ellis", "Evans", "Fernandes", "Fisher",
    "Fitzgerald", "Fleming", "Fletcher", "Foster", "Fraser", "Gallagher", "Ghosh", "Gibson", "Gill", "Gordon",
    "Graham", "Grant", "Gray", "Green", "Griffiths", "Gupta", "Hall", "Hamilton", "Harris", "Harrison",
    "Hart", "Hayes", "Henderson", "Hill", "Holmes", "Hughes", "Hunt", "Hussain", "Iqbal", "Islam",
    "Jackson", "James", "Jenkins", "Johnson", "Jones", "Joshi", "Kaur", "Kelly", "Kennedy", "Khan",
    "King", "Kowalski", "Kumar", "Lewis", "Lloyd", "Lynch", "MacDonald", "MacLeod", "Mahmood", "Malik",
    "Marshall", "Martin", "Mason", "McCarthy", "McKenzie", "Mensah", "Miah", "Miller", "Mistry", "Mitchell",
    "Moore", "Morgan", "Morris", "Murphy", "Murray", "Nair", "Nowak", "Nwosu", "O'Brien", "O'Connor",
    "O'Neill", "Obi", "Okafor", "Okonkwo", "Oliver", "Osei", "Owen", "Palmer", "Parker", "Patel",
    "Pearson", "Phillips", "Powell", "Price", "Quinn", "Rahman", "Reid", "Reynolds", "Richards", "Roberts",
    "Robinson", "Rogers", "Rose", "Ross", "Russell", "Ryan", "Saunders", "Scott", "Shah", "Sharma",
    "Shaw", "Simpson", "Singh", "Smith", "Stewart", "Sullivan", "Taylor", "Thomas", "Thompson", "Turner",
    "Uddin", "Walker", "Walsh", "Ward", "Watson", "Webb", "White", "Williams", "Wilson", "Wood",
    "Wright", "Yilmaz", "Young", "Zielinski",
)  # fmt: skip

AREAS = ("North", "South", "East", "West", "Central", "North East", "South West", "Riverside")


# --- the shape of an organisation -------------------------------------------------------------


@dataclass(frozen=True)
class StaffRole:
    title: str
    grade: str
    weight: int


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    head_title: str
    staff: int  # people below team leaders, before a little seeded variation
    teams: tuple[str, ...]
    roles: tuple[StaffRole, ...]


@dataclass(frozen=True)
class DirectorateSpec:
    name: str
    director_title: str
    services: tuple[ServiceSpec, ...]


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    type: str
    domain: str
    employee_prefix: str
    employee_digits: int
    chief_title: str
    chief_grade: str
    director_grade: str
    head_grade: str
    manager_grades: tuple[tuple[str, int], ...]  # (grade, weight)
    manager_title: str  # formatted with the focus of the manager's first team
    team_leader_title: str  # formatted with the team
    team_leader_grade: str
    assistant: StaffRole | None  # an executive assistant for the chief and each director
    team_size: tuple[int, int]
    teams_per_manager: tuple[int, int]
    directorates: tuple[DirectorateSpec, ...]


def _roles(*roles: tuple[str, str, int]) -> tuple[StaffRole, ...]:
    return tuple(StaffRole(title, grade, weight) for title, grade, weight in roles)


def _service(name: str, head_title: str, staff: int, teams: tuple[str, ...], *roles) -> ServiceSpec:
    return ServiceSpec(name, head_title, staff, teams, _roles(*roles))


BOROUGH = OrganisationSpec(
    slug="kingsmere",
    name="London Borough of Kingsmere",
    type="council",
    domain="kingsmere.example",
    employee_prefix="",
    employee_digits=6,
    chief_title="Chief Executive",
    chief_grade="CE",
    director_grade="D1",
    head_grade="HoS",
    manager_grades=(("M1", 2), ("M2", 3)),
    manager_title="Service Manager, {}",
    team_leader_title="Team Leader, {}",
    team_leader_grade="M3",
    assistant=StaffRole("Executive Assistant", "G7", 1),
    team_size=(6, 10),
    teams_per_manager=(2, 4),
    directorates=(
        DirectorateSpec(
            "Chief Executive's Office",
            "Director of Strategy and Governance",
            (
                _service(
                    "Strategy and Performance", "Head of Strategy and Performance", 20,
                    ("Policy", "Performance and Insight", "Equality and Inclusion"),
                    ("Policy Officer", "G8", 3), ("Senior Policy Officer", "G9", 2),
                    ("Performance Analyst", "G8", 3), ("Equality and Inclusion Adviser", "G9", 1),
                ),
                _service(
                    "Communications and Engagement", "Head of Communications", 16,
                    ("Media and Campaigns", "Digital Content", "Resident Engagement"),
                    ("Communications Officer", "G8", 3), ("Senior Communications Officer", "G9", 1),
                    ("Digital Content Officer", "G7", 2), ("Graphic Designer", "G7", 1),
                ),
                _service(
                    "Democratic Services", "Head of Democratic Services", 14,
                    ("Committee Services", "Member Services"),
                    ("Democratic Services Officer", "G8", 3), ("Committee Officer", "G7", 2),
                    ("Member Support Officer", "G6", 2),
                ),
                _service(
                    "Community Safety", "Head of Community Safety", 36,
                    ("Anti-social Behaviour", "CCTV", "Neighbourhood Wardens", "Violence Against Women and Girls"),
                    ("Community Safety Officer", "G7", 3), ("Anti-social Behaviour Officer", "G8", 2),
                    ("CCTV Operator", "G5", 2), ("Neighbourhood Warden", "G5", 3),
                ),
            ),
        ),
        DirectorateSpec(
            "Children's Services",
            "Corporate Director, Children's Services",
            (
                _service(
                    "Early Help", "Head of Early Help", 90,
                    ("Family Support", "Children's Centres", "Parenting Support"),
                    ("Family Support Worker", "G7", 5), ("Early Help Practitioner", "G8", 3),
                    ("Children's Centre Worker", "G6", 3), ("Administrative Officer", "G5", 1),
                ),
                _service(
                    "Children's Social Care", "Head of Children's Social Care", 210,
                    ("Child Protection", "Assessment", "Child in Need", "Children Looked After", "Leaving Care",
                     "Fostering", "Adoption", "Multi-Agency Safeguarding Hub"),
                    ("Social Worker", "G9", 5), ("Senior Practitioner", "G10", 2),
                    ("Family Support Worker", "G7", 2), ("Business Support Officer", "G5", 2),
                ),
                _service(
                    "Education and Inclusion", "Head of Education and Inclusion", 70,
                    ("School Improvement", "Attendance and Welfare", "School Admissions", "Inclusion"),
                    ("School Improvement Adviser", "G10", 1), ("Education Welfare Officer", "G8", 2),
                    ("Admissions Officer", "G6", 2), ("Inclusion Officer", "G8", 1),
                    ("Administrative Officer", "G5", 1),
                ),
                _service(
                    "Special Educational Needs and Disabilities", "Head of SEND", 60,
                    ("SEND Assessment", "Educational Psychology", "Short Breaks"),
                    ("SEND Case Officer", "G8", 4), ("Educational Psychologist", "G10", 1),
                    ("Short Breaks Coordinator", "G7", 1), ("Business Support Officer", "G5", 1),
                ),
                _service(
                    "Youth Services", "Head of Youth Services", 45,
                    ("Youth Centres", "Youth Justice", "Detached Youth Work"),
                    ("Youth Worker", "G7", 4), ("Senior Youth Worker", "G8", 1), ("Youth Justice Officer", "G8", 2),
                ),
                _service(
                    "Safeguarding and Quality Assurance", "Head of Safeguarding and Quality Assurance", 24,
                    ("Child Protection Conferences", "Independent Reviewing", "Quality Assurance"),
                    ("Child Protection Chair", "G10", 2), ("Independent Reviewing Officer", "G10", 2),
                    ("Quality Assurance Officer", "G8", 1), ("Business Support Officer", "G5", 1),
                ),
            ),
        ),
        DirectorateSpec(
            "Adults and Health",
            "Corporate Director, Adults and Health",
            (
                _service(
                    "Adult Social Care", "Head of Adult Social Care", 190,
                    ("Assessment and Review", "Hospital Discharge", "Safeguarding Adults", "Front Door",
                     "Locality Team"),
                    ("Social Worker", "G9", 4), ("Senior Practitioner", "G10", 1),
                    ("Social Care Assessor", "G7", 3), ("Care Support Worker", "G5", 2),
                    ("Business Support Officer", "G5", 1),
                ),
                _service(
                    "Learning Disabilities and Mental Health", "Head of Learning Disabilities and Mental Health", 110,
                    ("Learning Disabilities", "Community Mental Health", "Day Opportunities", "Transitions"),
                    ("Approved Mental Health Professional", "G10", 1), ("Social Worker", "G9", 3),
                    ("Community Support Worker", "G6", 3), ("Day Centre Officer", "G6", 2),
                ),
                _service(
                    "Occupational Therapy and Reablement", "Head of Occupational Therapy and Reablement", 100,
                    ("Reablement", "Occupational Therapy", "Equipment and Adaptations"),
                    ("Occupational Therapist", "G9", 2), ("Reablement Support Worker", "G5", 5),
                    ("Occupational Therapy Assistant", "G6", 2),
                ),
                _service(
                    "Public Health", "Director of Public Health", 36,
                    ("Health Improvement", "Public Health Intelligence", "Health Protection"),
                    ("Public Health Specialist", "G10", 1), ("Public Health Officer", "G8", 3),
                    ("Health Improvement Practitioner", "G7", 2), ("Public Health Analyst", "G8", 1),
                ),
                _service(
                    "Commissioning and Partnerships", "Head of Commissioning", 28,
                    ("Adults' Commissioning", "Contract Monitoring", "Brokerage"),
                    ("Commissioning Officer", "G8", 3), ("Contract Monitoring Officer", "G7", 2),
                    ("Brokerage Officer", "G6", 1),
                ),
            ),
        ),
        DirectorateSpec(
            "Place",
            "Corporate Director, Place",
            (
                _service(
                    "Highways and Transport", "Head of Highways and Transport", 64,
                    ("Highways Maintenance", "Parking", "Transport Planning", "Street Lighting"),
                    ("Highways Engineer", "G9", 2), ("Highways Inspector", "G7", 2),
                    ("Civil Enforcement Officer", "G5", 3), ("Transport Planner", "G8", 1),
                ),
                _service(
                    "Parks and Open Spaces", "Head of Parks and Open Spaces", 56,
                    ("Parks Maintenance", "Trees and Woodlands", "Rangers"),
                    ("Park Ranger", "G6", 2), ("Gardener", "G5", 4), ("Tree Officer", "G8", 1),
                    ("Parks Development Officer", "G7", 1),
                ),
                _service(
                    "Waste and Street Cleansing", "Head of Waste and Street Cleansing", 150,
                    ("Refuse Collection", "Recycling", "Street Cleansing", "Waste Enforcement"),
                    ("Refuse Loader", "G5", 4), ("HGV Driver", "G6", 2), ("Street Cleansing Operative", "G5", 3),
                    ("Waste Enforcement Officer", "G7", 1),
                ),
                _service(
                    "Planning and Building Control", "Head of Planning and Building Control", 48,
                    ("Development Management", "Planning Policy", "Building Control", "Planning Enforcement"),
                    ("Planning Officer", "G8", 3), ("Senior Planning Officer", "G9", 2),
                    ("Building Control Surveyor", "G9", 1), ("Planning Enforcement Officer", "G7", 1),
                    ("Planning Support Officer", "G5", 1),
                ),
                _service(
                    "Environmental Health and Trading Standards", "Head of Environmental Health", 36,
                    ("Food Safety", "Environmental Protection", "Trading Standards", "Licensing"),
                    ("Environmental Health Officer", "G9", 3), ("Trading Standards Officer", "G8", 2),
                    ("Licensing Officer", "G7", 1), ("Pest Control Officer", "G5", 1),
                ),
                _service(
                    "Libraries and Culture", "Head of Libraries and Culture", 56,
                    ("Libraries", "Arts and Culture", "Heritage and Archives"),
                    ("Library Assistant", "G5", 5), ("Librarian", "G7", 1), ("Arts Development Officer", "G7", 1),
                    ("Archivist", "G7", 1),
                ),
            ),
        ),
        DirectorateSpec(
            "Housing and Regeneration",
            "Corporate Director, Housing and Regeneration",
            (
                _service(
                    "Housing Needs and Homelessness", "Head of Housing Needs", 76,
                    ("Housing Options", "Homelessness Prevention", "Temporary Accommodation", "Rough Sleeping"),
                    ("Housing Options Officer", "G7", 4), ("Homelessness Prevention Officer", "G8", 2),
                    ("Temporary Accommodation Officer", "G6", 2), ("Rough Sleeping Outreach Worker", "G7", 1),
                ),
                _service(
                    "Housing Management", "Head of Housing Management", 88,
                    ("Tenancy Management", "Estate Services", "Leasehold Services", "Tenancy Sustainment"),
                    ("Housing Officer", "G7", 4), ("Tenancy Sustainment Officer", "G7", 2), ("Caretaker", "G5", 3),
                    ("Leasehold Officer", "G7", 1),
                ),
                _service(
                    "Regeneration and Economic Development", "Head of Regeneration", 32,
                    ("Regeneration", "Business Support", "Employment and Skills"),
                    ("Regeneration Officer", "G8", 2), ("Economic Development Officer", "G8", 2),
                    ("Employment Support Adviser", "G7", 2), ("Project Manager", "G9", 1),
                ),
                _service(
                    "Private Sector Housing", "Head of Private Sector Housing", 24,
                    ("Licensing and Enforcement", "Home Improvement Grants"),
                    ("Private Sector Housing Officer", "G8", 3), ("Housing Enforcement Officer", "G8", 1),
                    ("Grants Officer", "G6", 1),
                ),
            ),
        ),
        DirectorateSpec(
            "Resources",
            "Corporate Director, Resources",
            (
                _service(
                    "Finance", "Head of Finance", 52,
                    ("Financial Planning", "Accounts Payable", "Corporate Finance", "Treasury and Pensions"),
                    ("Accountant", "G9", 2), ("Finance Officer", "G7", 3), ("Payments Officer", "G5", 2),
                    ("Senior Accountant", "G10", 1), ("Treasury Officer", "G8", 1),
                ),
                _service(
                    "Human Resources and Organisational Development", "Head of HR and Organisational Development", 40,
                    ("HR Advisory", "Learning and Development", "Payroll", "Recruitment", "HR Systems"),
                    ("HR Adviser", "G8", 3), ("HR Officer", "G6", 2), ("Payroll Officer", "G6", 2),
                    ("Learning and Development Adviser", "G8", 1), ("Organisational Development Consultant", "G9", 1),
                    ("Recruitment Officer", "G6", 1),
                ),
                _service(
                    "Digital and ICT", "Head of Digital and ICT", 56,
                    ("Service Desk", "Infrastructure", "Applications", "Information Governance"),
                    ("Service Desk Analyst", "G6", 3), ("Systems Engineer", "G8", 2), ("Software Developer", "G9", 2),
                    ("Business Analyst", "G9", 1), ("Information Governance Officer", "G8", 1),
                ),
                _service(
                    "Legal Services", "Head of Legal Services", 32,
                    ("Children's Legal", "Property and Contracts", "Litigation"),
                    ("Solicitor", "G10", 3), ("Legal Executive", "G8", 2), ("Paralegal", "G6", 2),
                    ("Legal Assistant", "G5", 1),
                ),
                _service(
                    "Procurement", "Head of Procurement", 14,
                    ("Category Management", "Procurement Operations"),
                    ("Procurement Officer", "G8", 3), ("Category Lead", "G9", 1), ("Contracts Officer", "G7", 1),
                ),
                _service(
                    "Revenues and Benefits", "Head of Revenues and Benefits", 88,
                    ("Housing Benefit", "Council Tax", "Business Rates", "Recovery"),
                    ("Benefits Assessor", "G6", 4), ("Council Tax Officer", "G6", 3), ("Recovery Officer", "G6", 1),
                    ("Business Rates Officer", "G7", 1),
                ),
                _service(
                    "Customer Services", "Head of Customer Services", 76,
                    ("Contact Centre", "Customer Service Centre", "Complaints"),
                    ("Customer Service Adviser", "G5", 6), ("Senior Customer Service Adviser", "G6", 1),
                    ("Complaints Officer", "G7", 1),
                ),
            ),
        ),
    ),
)  # fmt: skip

TRUST = OrganisationSpec(
    slug="kingsmere-community-health",
    name="Kingsmere Community Health NHS Trust",
    type="nhs",
    domain="kingsmerehealth.example",
    employee_prefix="",
    employee_digits=8,
    chief_title="Chief Executive",
    chief_grade="VSM",
    director_grade="VSM",
    head_grade="Band 8c",
    manager_grades=(("Band 8a", 3), ("Band 8b", 1)),
    manager_title="Service Manager, {}",
    team_leader_title="Team Lead, {}",
    team_leader_grade="Band 7",
    assistant=StaffRole("Executive Assistant", "Band 5", 1),
    team_size=(7, 11),
    teams_per_manager=(2, 4),
    directorates=(
        DirectorateSpec(
            "Operations",
            "Chief Operating Officer",
            (
                _service(
                    "Community Nursing", "Head of Community Nursing", 110,
                    ("District Nursing", "Community Matrons", "Tissue Viability"),
                    ("Community Staff Nurse", "Band 5", 4), ("District Nurse", "Band 6", 3),
                    ("Healthcare Assistant", "Band 3", 3), ("Nursing Associate", "Band 4", 1),
                ),
                _service(
                    "Therapies", "Head of Therapies", 60,
                    ("Physiotherapy", "Speech and Language Therapy", "Community Rehabilitation"),
                    ("Physiotherapist", "Band 6", 3), ("Speech and Language Therapist", "Band 6", 2),
                    ("Therapy Assistant", "Band 3", 2),
                ),
                _service(
                    "Children's Community Health", "Head of Children's Community Health", 50,
                    ("Health Visiting", "School Nursing", "Family Nurse Partnership"),
                    ("Health Visitor", "Band 6", 4), ("School Nurse", "Band 6", 2), ("Nursery Nurse", "Band 4", 2),
                ),
            ),
        ),
        DirectorateSpec(
            "Nursing and Quality",
            "Director of Nursing and Quality",
            (
                _service(
                    "Patient Safety and Quality", "Head of Patient Safety", 18,
                    ("Patient Safety", "Patient Experience"),
                    ("Patient Safety Lead", "Band 7", 1), ("Quality Improvement Facilitator", "Band 6", 2),
                    ("Patient Experience Officer", "Band 5", 2),
                ),
                _service(
                    "Safeguarding", "Head of Safeguarding", 12,
                    ("Safeguarding Adults", "Safeguarding Children"),
                    ("Safeguarding Nurse Specialist", "Band 7", 2), ("Safeguarding Administrator", "Band 4", 1),
                ),
            ),
        ),
        DirectorateSpec(
            "People and Organisational Development",
            "Director of People and Organisational Development",
            (
                _service(
                    "Workforce", "Head of Workforce", 22,
                    ("Employee Relations", "Learning and Organisational Development", "Recruitment"),
                    ("HR Business Partner", "Band 7", 1), ("HR Adviser", "Band 6", 2),
                    ("Learning and Development Facilitator", "Band 5", 2), ("Recruitment Officer", "Band 4", 2),
                ),
            ),
        ),
        DirectorateSpec(
            "Finance and Estates",
            "Director of Finance",
            (
                _service(
                    "Finance and Contracting", "Head of Financial Management", 18,
                    ("Management Accounts", "Financial Services"),
                    ("Management Accountant", "Band 7", 1), ("Finance Officer", "Band 5", 2),
                    ("Accounts Assistant", "Band 3", 1),
                ),
                _service(
                    "Estates and Facilities", "Head of Estates", 20,
                    ("Estates", "Facilities"),
                    ("Estates Officer", "Band 5", 2), ("Facilities Assistant", "Band 2", 3),
                ),
            ),
        ),
    ),
)  # fmt: skip

CHARITY = OrganisationSpec(
    slug="kingsmere-community-care",
    name="Kingsmere Community Care",
    type="voluntary",
    domain="kingsmerecare.example",
    employee_prefix="KCC",
    employee_digits=4,
    chief_title="Chief Executive",
    chief_grade="Grade 1",
    director_grade="Grade 2",
    head_grade="Grade 3",
    manager_grades=(("Grade 4", 1),),
    manager_title="Service Manager, {}",
    team_leader_title="Coordinator, {}",
    team_leader_grade="Grade 5",
    assistant=None,
    team_size=(6, 9),
    teams_per_manager=(2, 3),
    directorates=(
        DirectorateSpec(
            "Community Services",
            "Director of Services",
            (
                _service(
                    "Home Support", "Head of Home Support", 70,
                    ("Home Support", "Hospital to Home"),
                    ("Support Worker", "Grade 7", 5), ("Senior Support Worker", "Grade 6", 1),
                ),
                _service(
                    "Carers and Advice", "Head of Carers and Advice", 40,
                    ("Carers' Support", "Advice and Advocacy", "Befriending"),
                    ("Carers' Support Worker", "Grade 6", 2), ("Adviser", "Grade 6", 2),
                    ("Volunteer Coordinator", "Grade 6", 1),
                ),
                _service(
                    "Young People", "Head of Young People's Services", 30,
                    ("Youth Mentoring", "Young Carers"),
                    ("Youth Mentor", "Grade 6", 3), ("Young Carers Worker", "Grade 6", 2),
                ),
            ),
        ),
        DirectorateSpec(
            "Finance and Operations",
            "Director of Finance and Operations",
            (
                _service(
                    "Business Support", "Head of Business Support", 18,
                    ("Finance", "People and Volunteering", "Fundraising"),
                    ("Finance Officer", "Grade 6", 1), ("HR Officer", "Grade 6", 1),
                    ("Fundraising Officer", "Grade 6", 2), ("Administrator", "Grade 7", 1),
                ),
            ),
        ),
    ),
)  # fmt: skip

ORGANISATIONS = (BOROUGH, TRUST, CHARITY)

NETWORKS = (
    # (slug, name, kind, member slugs, joined on)
    (
        "east-thames-leadership",
        "East Thames Leadership Network",
        "region",
        ("kingsmere", "kingsmere-community-health", "kingsmere-community-care"),
        date(2023, 4, 1),
    ),
    (
        "kingsmere-health-and-care",
        "Kingsmere Health and Care Partnership",
        "partnership",
        ("kingsmere", "kingsmere-community-health", "kingsmere-community-care"),
        date(2024, 9, 1),
    ),
)


# --- tiers for the borough --------------------------------------------------------------------


@dataclass(frozen=True)
class TierSpec:
    rank: int
    name: str
    audience: str
    description: str
    grades: tuple[str, ...]


BOROUGH_TIERS = (
    TierSpec(
        1,
        "Aspiring manager",
        "Officers on grades G9 and G10 with no line-management duties who want to move into management.",
        "Lays the ground for a first management post. Participants join a year-long cohort, take on a "
        "stretching project for their service and build a portfolio of evidence that shows they are "
        "ready to lead a team.",
        ("G9", "G10"),
    ),
    TierSpec(
        2,
        "Core manager",
        "Every manager at any level, and team leaders in their first years of managing people.",
        "The essentials every manager must handle well and fairly: recruiting, managing a budget, "
        "holding one-to-ones and annual reviews, and dealing with attendance, conduct and grievances "
        "under the council's policies.",
        ("M3",),
    ),
    TierSpec(
        3,
        "Developing manager",
        "Service managers who run a team or a service from day to day.",
        "Each manager picks from the catalogue what their own practice needs: setting an example the "
        "team wants to follow, encouraging new ideas and challenge, and improving what residents "
        "receive.",
        ("M2",),
    ),
    TierSpec(
        4,
        "Aspiring leader",
        "Heads of service and senior service managers preparing for a corporate leadership role.",
        "Widens a senior manager's view from one service to the whole council and its partners: "
        "growing the managers who report to them, giving clear direction when the way ahead is "
        "uncertain, and a senior leader apprenticeship or regional programme for those ready for it.",
        ("HoS", "M1"),
    ),
    TierSpec(
        5,
        "Senior leader",
        "The chief executive and the corporate directors.",
        "For the corporate leadership team: decisions that staff, partners and councillors can trust, "
        "leading across the local system rather than one organisation, and changing leadership style "
        "as the council changes.",
        ("CE", "D1"),
    ),
)


# --- councillors ------------------------------------------------------------------------------

WARDS = (
    "Abbey Fields", "Bridgewater", "Castlegate", "Dockside", "Eastbrook", "Fairmead", "Hollybank",
    "Kingsmere Central", "Lea Marsh", "Millfield", "Northgate", "Oakwood Park", "Queensbury Green",
    "St Anne's", "Thornfield", "Victoria Wharf", "Westcombe",
)  # fmt: skip

# (group, seats); the first group is the majority group, which forms the cabinet.
POLITICAL_GROUPS = (("Majority group", 36), ("Opposition group", 12), ("Independent group", 3))

# Offices held by members of the majority group, in order; the first is its group leader.
MAJORITY_OFFICES = (
    "Leader of the Council",
    "Deputy Leader and Cabinet Member for Resources",
    "Cabinet Member for Children's Services",
    "Cabinet Member for Adults and Health",
    "Cabinet Member for Housing",
    "Cabinet Member for Environment and Transport",
    "Cabinet Member for Regeneration and Jobs",
    "Cabinet Member for Community Safety",
    "Mayor of Kingsmere",
    "Chair of Planning Committee",
    "Chair of Licensing Committee",
)
OPPOSITION_OFFICES = ("Leader of the Opposition", "Chair of Overview and Scrutiny Committee")
INDEPENDENT_OFFICES = ("Leader of the Independent Group",)


# --- people outside the staff -----------------------------------------------------------------

# (first, last, job title, email domain)
PARTNER_STAFF = (
    ("Ravi", "Chandran", "Partnership Inspector, Metropolitan Police (on secondment)", "police.example"),
    ("Joanne", "Pike", "Partnership Manager, Jobcentre Plus", "dwp.example"),
    ("Kwame", "Asante", "Place Commissioning Lead, Integrated Care Board", "icb.example"),
    ("Orla", "Keane", "Neighbourhood Manager, Eastbrook Homes", "eastbrookhomes.example"),
    ("Derek", "Moss", "Borough Commander, London Fire Brigade", "fire.example"),
    ("Nadia", "Haddad", "Senior Probation Officer, Probation Service", "probation.example"),
    ("Gillian", "Frost", "School Business Manager, Millfield Primary School", "millfieldprimary.example"),
    ("Tomasz", "Wozniak", "Business Development Manager, Kingsmere College", "kingsmerecollege.example"),
)

EXTERNAL_PARTICIPANTS = (
    ("Winston", "Clarke", "Chair, Kingsmere Tenants' Federation", "kingsmeretenants.example"),
    ("Beatrice", "Holloway", "Head Teacher, Thornfield Primary School", "thornfieldprimary.example"),
    ("Sunil", "Varma", "Chief Executive, Kingsmere Citizens Advice", "kingsmereadvice.example"),
    ("Margaret", "Doyle", "Chair, Kingsmere Faith Forum", "kingsmerefaith.example"),
    ("Adrian", "Lowe", "Manager, Castlegate Business Improvement District", "castlegatebid.example"),
    ("Esther", "Mbeki", "Director, Dockside Youth Trust", "docksideyouth.example"),
)

SERVICE_USERS_AND_CARERS = (
    ("Pauline", "Archer", "Expert by experience, adult social care"),
    ("Dennis", "Rowe", "Carers' Forum representative"),
    ("Layla", "Hakimi", "Young Inspector, Children in Care Council"),
    ("Bernadette", "Flynn", "Parent carer representative, SEND Parent Carer Forum"),
    ("Errol", "Whyte", "Disability Forum member"),
    ("Shirley", "Nash", "Carer representative, Learning Disability Partnership Board"),
)
SERVICE_USER_DOMAIN = "mail.example"


# --- the demo sign-ins ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInSpec:
    """One demo login. `slot` names where in the generated data the person sits (see generate.py);
    the person there is given this name, and the title and grade when set."""

    kind: str
    first_name: str
    last_name: str
    slot: str
    roles: tuple[str, ...]
    job_title: str = ""
    grade: str = ""
    platform_admin: bool = False


SIGN_INS = (
    SignInSpec(
        "Member of staff (aspiring manager)", "Amara", "Okafor", "staff-of-line-manager", ("member",),
        job_title="Social Worker", grade="G9",
    ),
    SignInSpec("Line manager", "Tom", "Gallagher", "team-leader:Children's Social Care:Child Protection", ("member",)),
    SignInSpec(
        "Learning and development administrator", "Fiona", "MacLeod",
        "team-leader:Human Resources and Organisational Development:Learning and Development",
        ("member", "ld_admin"), job_title="Learning and Development Lead",
    ),
    SignInSpec(
        "Senior leadership (executive viewer)", "Helen", "Osei", "director:Resources", ("member", "executive_viewer"),
    ),
    SignInSpec(
        "Equality officer", "Yasmin", "Rahman", "staff:Strategy and Performance:Equality and Inclusion Adviser",
        ("member", "equality_officer"), job_title="Equality, Diversity and Inclusion Officer", grade="G9",
    ),
    SignInSpec(
        "Organisation administrator", "David", "Kowalski",
        "team-leader:Human Resources and Organisational Development:HR Systems",
        ("member", "org_admin"), job_title="HR Systems and Data Manager",
    ),
    SignInSpec("Elected member (councillor)", "Grace", "Adeyemi", "councillor:Cabinet Member for Children's Services",
               ("member",)),
    SignInSpec(
        "Partner organisation staff member", "Siobhan", "Murphy", "team-leader:Community Nursing",
        ("member",),
    ),
    SignInSpec("External participant", "Winston", "Clarke", "external:Winston Clarke", ("member",)),
    SignInSpec(
        "Platform administrator", "Priya", "Nair", "staff:Digital and ICT:Systems Engineer", ("member",),
        job_title="Application Support Analyst", grade="G8", platform_admin=True,
    ),
)  # fmt: skip

# The officer who supports councillors' development and endorses the group leaders'.
MEMBER_DEVELOPMENT_OFFICER = ("Judith", "Penrose", "Member Development Officer", "G8")
