"""The demo borough's development catalogue: every kind of offering, tagged with the attributes
and tiers of its published frameworks, written in Cadre's own words.

Most offerings serve the officers' framework; a few serve councillors (the political framework).
Two officer attributes are deliberately thin, as they would be in a council that has only just
added them: "innovative" has two offerings and "commercial" one published and one still in draft,
so the coverage page has real gaps to show.

`demo_catalogue_load` writes them once, in bulk like the rest of the demo (a handful of queries
rather than the dozen `offering_save` spends on each offering), after checking them against the
same rules as `offering_save` and keeping the search index in step with `index_offerings`. Like
the rest of the bulk load it writes no audit entry per row. It does nothing when the borough
already has a catalogue, so loading the demo again changes nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.catalogue.models import Offering, OfferingAttribute, OfferingTier
from cadre.catalogue.search import index_offerings
from cadre.core.models import Organisation
from cadre.demo import data
from cadre.frameworks.models import Framework, FrameworkVersion

K = Offering.Kind
M = Offering.Mode

# Tier keys of the officers' framework, lowest first, and of the political framework.
AM, CM, DM, AL, SL = "aspiring-manager", "core-manager", "developing-manager", "aspiring-leader", "senior-leader"
NEW, ESTABLISHED, CABINET = "new-councillor", "established-councillor", "cabinet-or-group-leader"

LD_TEAM = "Kingsmere Learning and Development team"
OD_TEAM = "Kingsmere Organisational Development team"
HR_TEAM = "Kingsmere HR advice team"
EMPLOYERS = "East Thames Employers' Organisation"
NETWORK = "East Thames Leadership Network"
UNIVERSITY = "University of Kingsmere Business School"
COLLEGE = "Castlegate College apprenticeships team"
COACHES = "Kingsmere coaching associates (external coaches on the council's framework contract)"
COACH_POOL = "Kingsmere internal coaching pool"
PARTNERSHIP = "Kingsmere Health and Care Partnership"
MEMBER_DEVELOPMENT = "Kingsmere Democratic Services, member development"

TOWN_HALL = "Kingsmere Town Hall, High Street"
CIVIC_CENTRE = "Civic Centre learning rooms, Dockside"
TEAMS = "Online, Microsoft Teams"
CAMPUS = "University of Kingsmere, Riverside campus"
ANYWHERE = "Wherever suits you"


@dataclass(frozen=True)
class DemoOffering:
    kind: str
    title: str
    summary: str
    description: str
    provider: str
    mode: str
    duration: str
    attributes: tuple[str, ...]
    tiers: tuple[str, ...]
    cost: str | None = "0"
    location: str = ""
    accreditation: str = ""
    eligibility: str = ""
    partners_may_book: bool = False
    framework: str = "officers"
    status: str = Offering.Status.PUBLISHED


OFFERINGS: tuple[DemoOffering, ...] = (
    # --- programmes -------------------------------------------------------------------------------
    DemoOffering(
        K.PROGRAMME,
        "Stepping into management",
        "A year-long programme for staff who want to become managers, learning the basics and trying them "
        "out on a real project.",
        "A group of about twenty people meets for a day each month. Between the days you work on a project "
        "for a service other than your own, with a sponsor from that service, and keep a record of what you "
        "have learnt. The programme ends with a short presentation to senior managers about your project and "
        "what you would do differently next time.",
        LD_TEAM,
        M.BLENDED,
        "12 months, one day a month plus project time",
        ("accountable", "collaborative", "agile", "compassionate"),
        (AM,),
        location=CIVIC_CENTRE,
        eligibility="Staff on grades G9 and G10 who do not manage anyone yet. Apply with a supporting statement "
        "and your line manager's agreement to release you for the monthly days.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.PROGRAMME,
        "Managing well at Kingsmere",
        "Six half-day sessions covering what every manager at the council has to get right: people, money and "
        "the rules we work to.",
        "Sessions cover recruiting, the annual review, sickness absence, handling concerns about conduct, "
        "keeping to a budget and using the HR and finance systems. Each one is led by the people who run that "
        "part of the council, so you know who to ask afterwards.",
        LD_TEAM,
        M.BLENDED,
        "6 half days over 4 months",
        ("accountable", "agile"),
        (CM,),
        location=TOWN_HALL,
        eligibility="Everyone who manages people, and expected of new managers in their first six months.",
    ),
    DemoOffering(
        K.PROGRAMME,
        "Leading through change",
        "Five days over five months for managers who run teams day to day and want to lead them through "
        "restructures, new systems and new ways of working.",
        "You look at how people react to change, how to explain a decision you did not make, and how to keep a "
        "service running while it is being redesigned. Each day ends with a plan for the month ahead, which you "
        "review with a small group at the start of the next.",
        OD_TEAM,
        M.IN_PERSON,
        "5 days over 5 months",
        ("change-agent", "agile", "compassionate"),
        (DM,),
        location=CIVIC_CENTRE,
        eligibility="Managers on grade M2, or M3 with a nomination from their head of service.",
    ),
    DemoOffering(
        K.PROGRAMME,
        "Leading the place",
        "A regional programme for heads of service and senior managers from councils across East Thames, about "
        "leading beyond your own service.",
        "Senior managers from eight councils work together on questions that cross council and service "
        "boundaries, such as housing and health or town centre renewal. Speakers include chief executives and "
        "council leaders. You finish with a group report to the network's steering board.",
        EMPLOYERS,
        M.BLENDED,
        "7 months: 4 residential days and 6 online sessions",
        ("strategic", "collaborative", "change-agent"),
        (AL,),
        cost="2950",
        location="Residential days at venues across the region; online sessions on Microsoft Teams",
        eligibility="Heads of service and senior managers on grade M1, nominated by their director. The council "
        "has six places a year.",
    ),
    DemoOffering(
        K.PROGRAMME,
        "Top team development",
        "Facilitated sessions for the corporate leadership team on how it works together and the example it sets.",
        "The chief executive and directors meet with an external facilitator four times a year. Sessions start "
        "from the team's own 360 feedback and the staff survey, and look at how the top team makes decisions, "
        "handles disagreement and shows the council's values.",
        "External facilitator commissioned by the Chief Executive's office",
        M.IN_PERSON,
        "4 sessions a year, half a day each",
        ("strategic", "collaborative", "accountable"),
        (SL,),
        cost=None,
        location=TOWN_HALL,
        eligibility="Members of the corporate leadership team. Paid for centrally.",
    ),
    DemoOffering(
        K.PROGRAMME,
        "Future leaders: positive action programme",
        "A programme for staff from groups under-represented in senior roles, with a mentor, a sponsor and "
        "practical help with applying for promotion.",
        "Open to staff from ethnic minority backgrounds, disabled staff and others under-represented in the "
        "council's management. You get a senior sponsor who helps you find stretching work, a mentor from "
        "another organisation, and workshops on applications, interviews and assessment centres.",
        OD_TEAM,
        M.BLENDED,
        "9 months",
        ("compassionate", "collaborative", "strategic"),
        (AM, DM),
        location=CIVIC_CENTRE,
        eligibility="Staff on grades G9 to M2 who identify with an under-represented group. Partner organisations "
        "in the health and care partnership may nominate staff for up to a third of places.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.PROGRAMME,
        "System leadership in health and care",
        "A joint programme for senior people from the council, the community health trust and the voluntary "
        "sector who share responsibility for residents' care.",
        "Mixed groups from the three organisations follow one resident's journey through services, then design "
        "and test one improvement together. The programme is as much about building working relationships "
        "across organisations as about the content.",
        PARTNERSHIP,
        M.BLENDED,
        "6 months",
        ("collaborative", "strategic", "change-agent"),
        (AL, SL),
        location="Rotates between partner buildings",
        eligibility="Heads of service, directors and their equivalents in partner organisations. Ten places "
        "each year for each organisation.",
        partners_may_book=True,
    ),
    # --- courses and workshops --------------------------------------------------------------------
    DemoOffering(
        K.COURSE,
        "Recruiting fairly",
        "A one-day course on running a recruitment from advert to offer, fairly and within the council's policy.",
        "Covers writing job descriptions that do not put people off, shortlisting against criteria, structured "
        "interviews, making adjustments for disabled candidates, and recording decisions so that they can be "
        "explained.",
        HR_TEAM,
        M.IN_PERSON,
        "1 day",
        ("accountable", "compassionate"),
        (CM,),
        location=TOWN_HALL,
        eligibility="Anyone who sits on a recruitment panel. Required before chairing one.",
    ),
    DemoOffering(
        K.COURSE,
        "Managing your budget",
        "How the council's budget is set, what a budget holder answers for, and how to read and act on your "
        "monthly monitoring report.",
        "Finance business partners take you through the budget cycle, forecasting, virements and what to do "
        "when spending runs ahead of plan. Bring your own latest report to work on.",
        "Kingsmere Finance business partners",
        M.ONLINE,
        "2 half days",
        ("accountable", "commercial"),
        (CM,),
        location=TEAMS,
        eligibility="Budget holders and managers about to become one.",
    ),
    DemoOffering(
        K.COURSE,
        "Annual review conversations that help",
        "Half a day on preparing for and holding an annual review that is honest, useful and fair.",
        "Practise setting objectives that mean something, giving balanced feedback and agreeing development, "
        "using the framework to describe what good looks like at each tier.",
        LD_TEAM,
        M.ONLINE,
        "Half a day",
        ("accountable", "compassionate"),
        (CM, DM),
        location=TEAMS,
        eligibility="All managers.",
    ),
    DemoOffering(
        K.COURSE,
        "Supporting attendance and wellbeing",
        "Using the sickness absence policy with care: early conversations, reasonable adjustments and referrals.",
        "Covers return-to-work conversations, when to refer to occupational health, adjustments for disability "
        "and long-term conditions, and keeping in touch during long absences.",
        HR_TEAM,
        M.IN_PERSON,
        "1 day",
        ("compassionate", "accountable"),
        (CM,),
        location=TOWN_HALL,
        eligibility="All managers.",
    ),
    DemoOffering(
        K.COURSE,
        "Handling conduct and grievance cases",
        "What managers need to know to deal with a conduct concern or a staff complaint properly and promptly.",
        "Walks through an investigation from start to finish: deciding whether to investigate, interviewing, "
        "weighing evidence and writing a report that a hearing can rely on.",
        HR_TEAM,
        M.IN_PERSON,
        "1 day",
        ("accountable",),
        (CM, DM),
        location=TOWN_HALL,
        eligibility="Managers who may investigate or hear cases.",
    ),
    DemoOffering(
        K.COURSE,
        "Difficult conversations",
        "Practical ways to raise a problem, say no or deliver bad news, practised with an actor.",
        "Two short online sessions followed by practice with a professional actor in small groups, so you can "
        "try an approach, see how it lands and try again.",
        LD_TEAM,
        M.BLENDED,
        "2 half days",
        ("compassionate", "accountable"),
        (DM, AL),
        location=CIVIC_CENTRE,
        eligibility="Managers at any level.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.COURSE,
        "Coaching skills for managers",
        "Two days on using a coaching approach in everyday management: better questions, less telling.",
        "Learn a simple structure for coaching conversations, listening properly, and knowing when coaching is "
        "the wrong approach. You practise in threes and leave with a plan to use it with your own team.",
        COACH_POOL,
        M.IN_PERSON,
        "2 days",
        ("compassionate", "collaborative"),
        (DM, AL),
        location=CIVIC_CENTRE,
        eligibility="Managers of teams of any size.",
    ),
    DemoOffering(
        K.COURSE,
        "Leading a team that works in different places",
        "How to keep a team connected, fair and productive when people work from home, the office and out in "
        "the borough.",
        "Covers team agreements, fair ways to share work that has to be done on site, running meetings that "
        "work for people in the room and online, and noticing when someone is struggling.",
        LD_TEAM,
        M.ONLINE,
        "Half a day",
        ("agile", "collaborative"),
        (CM, DM),
        location=TEAMS,
        eligibility="All managers.",
    ),
    DemoOffering(
        K.COURSE,
        "Making decisions with data",
        "Reading performance data with a critical eye and using it to make and explain decisions.",
        "Uses the council's own dashboards. Covers spotting a real trend from noise, asking what the numbers "
        "leave out, and presenting evidence to a board or committee in plain terms.",
        "Kingsmere Strategy and Performance team",
        M.BLENDED,
        "1 day plus a short online module",
        ("agile", "strategic"),
        (DM, AL),
        location=TOWN_HALL,
        eligibility="Managers and analysts who present performance information.",
    ),
    DemoOffering(
        K.COURSE,
        "Working with elected members",
        "How councillors and officers work together: roles, protocols and building trust across the divide.",
        "Run jointly by the monitoring officer and a senior councillor. Covers the member-officer protocol, "
        "briefing members well, handling political sensitivity and what to do when things go wrong.",
        "Kingsmere Democratic Services",
        M.IN_PERSON,
        "Half a day",
        ("strategic", "collaborative"),
        (DM, AL),
        location=TOWN_HALL,
        eligibility="Managers who brief or report to councillors.",
    ),
    DemoOffering(
        K.COURSE,
        "Political awareness for officers",
        "Understanding the political setting of the council: the cycle of meetings, manifestos and how "
        "decisions are really made.",
        "For officers who want to understand how political priorities turn into the work of services, and how "
        "to give impartial advice that is still useful to members.",
        "Kingsmere Democratic Services",
        M.ONLINE,
        "2 hours",
        ("strategic",),
        (AM, DM),
        location=TEAMS,
        eligibility="Open to all staff.",
    ),
    DemoOffering(
        K.COURSE,
        "Project management essentials",
        "Planning, running and closing a small project, using the council's project approach.",
        "Covers scoping, plans, risks and issues, reporting, and closing a project properly with lessons "
        "learnt. Uses a real project of yours as the case study.",
        "Kingsmere Programme Management Office",
        M.ONLINE,
        "2 half days",
        ("agile", "accountable"),
        (AM, CM),
        location=TEAMS,
        eligibility="Open to all staff leading or about to lead a project.",
    ),
    DemoOffering(
        K.COURSE,
        "Resilience for leaders",
        "Looking after yourself so you can look after others, when the pressure does not let up.",
        "Covers recognising the signs of stress in yourself and others, setting limits, recovering after a "
        "hard week, and creating a team where people can say they are not coping.",
        OD_TEAM,
        M.ONLINE,
        "Half a day",
        ("compassionate", "change-agent"),
        (DM, AL),
        location=TEAMS,
        eligibility="Managers at any level.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.COURSE,
        "Inclusive leadership",
        "What leaders can do, day to day, so that everyone in their team can do their best work.",
        "Looks at who speaks in meetings, who gets stretching work, how flexible working is shared and how to "
        "respond when someone raises discrimination. Draws on the council's own workforce data.",
        EMPLOYERS,
        M.IN_PERSON,
        "1 day",
        ("compassionate", "collaborative"),
        (DM, AL, SL),
        cost="180",
        location=CIVIC_CENTRE,
        eligibility="Managers at any level. Open to partner organisations in the leadership network.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.COURSE,
        "Running meetings and workshops well",
        "Plan and facilitate meetings and workshops that reach a decision and leave people wanting to come back.",
        "Covers agendas with a purpose, techniques for getting ideas from everyone, handling dominant voices "
        "and recording actions. Practised on a workshop you are about to run.",
        LD_TEAM,
        M.IN_PERSON,
        "1 day",
        ("collaborative",),
        (DM,),
        location=CIVIC_CENTRE,
        eligibility="Open to all staff.",
    ),
    DemoOffering(
        K.COURSE,
        "Presenting with confidence",
        "Getting your message across to a team briefing, a board or a public meeting.",
        "Short practical sessions with feedback on structure, voice and handling questions. You present twice "
        "and watch yourself back.",
        LD_TEAM,
        M.IN_PERSON,
        "1 day",
        ("collaborative", "strategic"),
        (AM, CM),
        location=CIVIC_CENTRE,
        eligibility="Open to all staff.",
    ),
    DemoOffering(
        K.COURSE,
        "The people side of change",
        "Helping your team through a restructure or a new system without losing trust or good people.",
        "Covers consultation duties, talking to staff at risk, supporting people who stay, and keeping the "
        "service going during the change.",
        HR_TEAM,
        M.ONLINE,
        "Half a day",
        ("change-agent", "compassionate"),
        (CM, DM),
        location=TEAMS,
        eligibility="Managers leading a team through a formal change.",
    ),
    DemoOffering(
        K.COURSE,
        "Writing for committee and cabinet",
        "Writing reports that members can decide on: clear options, honest risks, plain words.",
        "Covers the council's report template, legal and financial comments, equality implications and "
        "summarising a complicated subject in a page.",
        "Kingsmere Democratic Services",
        M.ONLINE,
        "Half a day",
        ("strategic", "accountable"),
        (DM, AL),
        location=TEAMS,
        eligibility="Officers who write or sign off committee reports.",
    ),
    DemoOffering(
        K.COURSE,
        "Managing performance in practice",
        "Setting clear expectations, spotting problems early and following the capability policy when needed.",
        "Builds on the annual review course: regular check-ins, agreeing support, recording what was said, and "
        "what to do if performance does not improve.",
        HR_TEAM,
        M.IN_PERSON,
        "1 day",
        ("accountable",),
        (CM, DM),
        location=TOWN_HALL,
        eligibility="All managers.",
    ),
    DemoOffering(
        K.COURSE,
        "Fair decisions: bias in everyday management",
        "How bias creeps into recruitment, allocation of work and appraisal, and simple ways to check yourself.",
        "Interactive session looking at real patterns in the council's data and practical checks you can build "
        "into your own decisions.",
        OD_TEAM,
        M.ONLINE,
        "2 hours",
        ("compassionate", "accountable"),
        (AM, CM),
        location=TEAMS,
        eligibility="Open to all staff.",
    ),
    DemoOffering(
        K.COURSE,
        "Designing services with residents",
        "Using service design methods to understand residents' needs and test new ideas cheaply before "
        "committing to them.",
        "Learn to map a resident's journey, run a short discovery, prototype a change and measure whether it "
        "worked. Teams bring a live problem and leave with a small test to run.",
        "Kingsmere Digital and ICT service design team",
        M.BLENDED,
        "3 days over 6 weeks",
        ("innovative", "agile"),
        (DM, AL),
        location=TOWN_HALL,
        eligibility="Managers with a service problem to work on, ideally attending with one colleague.",
    ),
    DemoOffering(
        K.COURSE,
        "Risk, governance and assurance for heads of service",
        "What heads of service answer for: risk registers, audit, decision records and the annual governance "
        "statement.",
        "Led by the head of internal audit and the monitoring officer. Covers how assurance works in the "
        "council and how to give an honest account of risk to members.",
        "Kingsmere Internal Audit",
        M.IN_PERSON,
        "Half a day",
        ("accountable", "strategic"),
        (AL,),
        location=TOWN_HALL,
        eligibility="Heads of service and those acting up into the role.",
    ),
    # --- e-learning -------------------------------------------------------------------------------
    DemoOffering(
        K.E_LEARNING,
        "New manager essentials",
        "Short online modules on the policies and systems every new manager uses in their first weeks.",
        "Eight modules of about fifteen minutes each: timesheets and leave, starters and leavers, expenses, "
        "health and safety duties, data protection, safeguarding, and where to get help.",
        LD_TEAM,
        M.SELF_PACED,
        "About 2 hours in total",
        ("accountable", "agile"),
        (CM,),
        location=ANYWHERE,
        eligibility="Required for all new managers within three months of starting.",
    ),
    DemoOffering(
        K.E_LEARNING,
        "Data protection for managers",
        "Your duties when your team handles personal information, and what to do if something goes wrong.",
        "Covers lawful use of personal data, subject access requests, retention, and reporting a breach within "
        "the time limit.",
        "Kingsmere Information Governance team",
        M.SELF_PACED,
        "45 minutes",
        ("accountable",),
        (CM,),
        location=ANYWHERE,
        eligibility="Required for all managers every two years.",
    ),
    DemoOffering(
        K.E_LEARNING,
        "Digital confidence for managers",
        "Getting more from the tools you already have: shared documents, online meetings, simple automation.",
        "Short videos and exercises on collaborating in shared documents, running hybrid meetings, and "
        "replacing paper forms with simple online ones.",
        "Kingsmere Digital and ICT",
        M.SELF_PACED,
        "About 3 hours, in short parts",
        ("agile",),
        (AM, CM, DM),
        location=ANYWHERE,
        eligibility="Open to all staff.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.E_LEARNING,
        "Safer recruitment",
        "The checks and practices that keep children and adults at risk safe when we recruit.",
        "Covers references, DBS checks, gaps in employment history and the questions to ask at interview.",
        HR_TEAM,
        M.SELF_PACED,
        "1 hour",
        ("accountable",),
        (CM,),
        location=ANYWHERE,
        eligibility="Required for panel members recruiting to roles working with children or adults at risk.",
    ),
    DemoOffering(
        K.E_LEARNING,
        "Equality impact assessments",
        "How to assess the effect of a decision on different groups of residents and staff, and act on what you find.",
        "Uses worked examples from council decisions to show what a useful assessment looks like and how it "
        "changes a proposal.",
        "Kingsmere Equality and Inclusion team",
        M.SELF_PACED,
        "1 hour",
        ("accountable", "strategic"),
        (DM, AL),
        location=ANYWHERE,
        eligibility="Managers proposing changes to services or policies.",
    ),
    DemoOffering(
        K.E_LEARNING,
        "Health and safety for managers",
        "The health and safety duties of a manager: risk assessments, lone working and reporting incidents.",
        "Covers your legal duties, writing and reviewing risk assessments, stress risk assessments and "
        "reporting accidents and near misses.",
        "Kingsmere Health and Safety team",
        M.SELF_PACED,
        "1 hour",
        ("accountable",),
        (CM,),
        location=ANYWHERE,
        eligibility="Required for all managers.",
    ),
    # --- coaching ---------------------------------------------------------------------------------
    DemoOffering(
        K.COACHING,
        "Leadership coaching with an external coach",
        "Six one-to-one sessions with an accredited coach, to work on a leadership challenge you choose.",
        "You choose from three coaches matched to your goals. Sessions are confidential; you agree goals with "
        "your coach and, if you wish, share them with your line manager.",
        COACHES,
        M.BLENDED,
        "6 sessions over 6 months",
        ("compassionate", "change-agent", "strategic"),
        (AL, SL),
        cost="1800",
        location="In person or online, as you and your coach agree",
        eligibility="Heads of service and above, or those on the talent pool for senior roles, with their "
        "director's support.",
    ),
    DemoOffering(
        K.COACHING,
        "Coaching from a Kingsmere coach",
        "Four sessions with a trained coach from another part of the council or the health and care partnership.",
        "Our internal coaches are staff who have trained in coaching and coach alongside their day jobs. You "
        "will be matched with someone outside your own service.",
        COACH_POOL,
        M.BLENDED,
        "4 sessions over 3 months",
        ("compassionate", "agile"),
        (CM, DM),
        location="In person or online, as you and your coach agree",
        eligibility="Any manager. Partner organisations that contribute coaches to the pool may book too.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.COACHING,
        "New in post coaching",
        "Coaching for the first hundred days in a head of service or director role.",
        "Three sessions before you start and three after, focused on understanding your new service, building "
        "relationships and deciding early priorities.",
        COACHES,
        M.ONLINE,
        "6 sessions over 5 months",
        ("strategic", "accountable"),
        (AL, SL),
        cost="1500",
        location=TEAMS,
        eligibility="Newly appointed or promoted heads of service and directors.",
    ),
    DemoOffering(
        K.COACHING,
        "Team coaching",
        "A coach works with your whole team to improve how it works together.",
        "Begins with a team diagnostic, then four facilitated sessions on purpose, roles, trust and how the "
        "team handles conflict.",
        OD_TEAM,
        M.IN_PERSON,
        "5 sessions over 4 months",
        ("collaborative",),
        (DM, AL),
        location="Your team's own workplace",
        eligibility="Teams whose manager and head of service agree to take part together.",
    ),
    # --- mentoring --------------------------------------------------------------------------------
    DemoOffering(
        K.MENTORING,
        "Partnership mentoring scheme",
        "A mentor from another organisation in the health and care partnership, for a year.",
        "We match you with a mentor from the council, the community health trust or the voluntary sector, "
        "outside your line of management. You meet about once a month and set the agenda yourself.",
        PARTNERSHIP,
        M.BLENDED,
        "12 months, about an hour a month",
        ("collaborative", "compassionate"),
        (AM, DM),
        location="Agreed between mentor and mentee",
        eligibility="Staff of any partner organisation. Mentors are trained before they are matched.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.MENTORING,
        "Reverse mentoring for senior leaders",
        "Senior leaders are mentored by junior colleagues whose working lives look very different from theirs.",
        "Mentors come from the staff networks and frontline services. Pairs meet six times to talk about what "
        "it is like to work at the council and what senior leaders could change.",
        OD_TEAM,
        M.IN_PERSON,
        "6 meetings over 6 months",
        ("compassionate", "strategic", "collaborative"),
        (SL, AL),
        location="Agreed between mentor and mentee",
        eligibility="Directors and heads of service. Mentors volunteer through the staff networks.",
    ),
    DemoOffering(
        K.MENTORING,
        "Mentoring for aspiring managers",
        "An experienced manager helps you prepare for your first management role.",
        "Your mentor shares how they made the step up, helps you find chances to practise managing, and reviews "
        "your applications.",
        LD_TEAM,
        M.BLENDED,
        "6 months",
        ("compassionate", "collaborative"),
        (AM,),
        location="Agreed between mentor and mentee",
        eligibility="Staff on grades G9 and G10.",
    ),
    # --- action learning --------------------------------------------------------------------------
    DemoOffering(
        K.ACTION_LEARNING,
        "Action learning sets for developing managers",
        "A small group of managers meeting regularly to help each other with real problems from work.",
        "Six to eight managers from different services meet every six weeks with a trained facilitator. Each "
        "meeting, one or two members bring a problem and the others help by asking questions rather than "
        "giving advice.",
        OD_TEAM,
        M.IN_PERSON,
        "6 meetings over 9 months",
        ("agile", "collaborative", "change-agent"),
        (DM,),
        location=CIVIC_CENTRE,
        eligibility="Managers on grade M2 or M3.",
    ),
    DemoOffering(
        K.ACTION_LEARNING,
        "Cross-sector action learning for senior leaders",
        "Action learning with senior leaders from the health trust and the voluntary sector, on problems none of "
        "you can solve alone.",
        "Sets mix organisations on purpose. Members bring problems that cross organisational boundaries and are "
        "encouraged to test bold ideas between meetings and report back.",
        NETWORK,
        M.BLENDED,
        "8 meetings over 12 months",
        ("collaborative", "strategic", "innovative"),
        (AL, SL),
        location="Rotates between partner buildings",
        eligibility="Heads of service, directors and their equivalents in partner organisations.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.ACTION_LEARNING,
        "Action learning for new managers",
        "Support from other new managers in your first year, facilitated by the learning and development team.",
        "Small groups of new managers meet monthly to work through the situations that come up in the first "
        "year of managing.",
        LD_TEAM,
        M.ONLINE,
        "10 meetings over 12 months",
        ("accountable", "compassionate"),
        (CM,),
        location=TEAMS,
        eligibility="Managers in their first year.",
    ),
    # --- qualifications ---------------------------------------------------------------------------
    DemoOffering(
        K.QUALIFICATION,
        "ILM Level 3 Certificate in Leadership and Management",
        "A recognised qualification for first-line managers, built around your own team.",
        "Four workshops and written assignments on leading a team, managing performance, solving problems and "
        "communicating. Assessed by portfolio.",
        EMPLOYERS,
        M.BLENDED,
        "9 months part time",
        ("accountable", "collaborative"),
        (CM, DM),
        cost="1150",
        location=CIVIC_CENTRE,
        accreditation="ILM Level 3",
        eligibility="Managers with at least three months in a management role. Funded by your service.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.QUALIFICATION,
        "ILM Level 5 Diploma in Leadership and Management",
        "A qualification for middle and senior managers, covering strategy, change and leading other managers.",
        "Eight workshops and assignments based on a change you are leading at work. Completion usually takes "
        "about a year alongside your job.",
        EMPLOYERS,
        M.BLENDED,
        "12 months part time",
        ("strategic", "change-agent"),
        (DM, AL),
        cost="2400",
        location=CIVIC_CENTRE,
        accreditation="ILM Level 5",
        eligibility="Managers of other managers, or of a large team. Funded by your service.",
    ),
    DemoOffering(
        K.QUALIFICATION,
        "CMI Level 5 Certificate in Management and Leadership",
        "A professional management qualification with chartered membership of the Chartered Management "
        "Institute while you study.",
        "Choose four units, such as managing projects, managing change and leading people. Studied mostly "
        "online with tutor support.",
        UNIVERSITY,
        M.BLENDED,
        "10 months part time",
        ("agile", "accountable"),
        (DM,),
        cost="1950",
        location=CAMPUS,
        accreditation="CMI Level 5",
        eligibility="Managers on grade M2 or above.",
    ),
    DemoOffering(
        K.QUALIFICATION,
        "CMI Level 7 Diploma in Strategic Management and Leadership",
        "A postgraduate-level qualification for senior leaders, focused on strategy and organisational change.",
        "Taught in short blocks at the business school, with assignments on your own organisation's strategy. "
        "Credits can count towards an MBA.",
        UNIVERSITY,
        M.BLENDED,
        "12 to 18 months part time",
        ("strategic", "change-agent"),
        (AL, SL),
        cost="3600",
        location=CAMPUS,
        accreditation="CMI Level 7",
        eligibility="Heads of service and above, with their director's approval.",
    ),
    DemoOffering(
        K.QUALIFICATION,
        "ILM Level 5 Certificate in Effective Coaching and Mentoring",
        "Train as a coach and join the Kingsmere internal coaching pool.",
        "Workshops, supervised coaching practice with at least twelve hours of coaching, and a reflective "
        "log. On completion you coach two colleagues a year.",
        UNIVERSITY,
        M.BLENDED,
        "8 months part time",
        ("compassionate",),
        (DM, AL),
        cost="1400",
        location=CAMPUS,
        accreditation="ILM Level 5",
        eligibility="Experienced managers willing to coach others in return.",
    ),
    # --- apprenticeships --------------------------------------------------------------------------
    DemoOffering(
        K.APPRENTICESHIP,
        "Senior leader apprenticeship",
        "A two-year level 7 apprenticeship for senior managers, with the option of a master's degree.",
        "Study one day every two weeks at the business school, with workplace projects and an end-point "
        "assessment. Paid for from the council's apprenticeship levy, so there is no cost to your service.",
        UNIVERSITY,
        M.BLENDED,
        "24 months part time, plus end-point assessment",
        ("strategic", "change-agent", "collaborative"),
        (AL, SL),
        location=CAMPUS,
        accreditation="Level 7 Senior Leader apprenticeship (optional MBA)",
        eligibility="Heads of service and above. You need your director's agreement to spend a fifth of your "
        "working time on off-the-job learning.",
    ),
    DemoOffering(
        K.APPRENTICESHIP,
        "Team leader apprenticeship",
        "A level 3 apprenticeship for new and aspiring team leaders, paid for from the apprenticeship levy.",
        "Monthly workshops, a workplace coach and a portfolio of work, finishing with an end-point assessment.",
        COLLEGE,
        M.BLENDED,
        "12 to 15 months",
        ("accountable", "collaborative"),
        (AM, CM),
        location="Castlegate College and your workplace",
        accreditation="Level 3 Team Leader or Supervisor apprenticeship",
        eligibility="Staff who lead a team or are about to, and can spend a fifth of their time on learning.",
    ),
    DemoOffering(
        K.APPRENTICESHIP,
        "Operations manager apprenticeship",
        "A level 5 apprenticeship for managers running a service or a large team, including a CMI diploma.",
        "Workshops every month, online study and a workplace project, assessed at the end. Paid for from the "
        "apprenticeship levy.",
        COLLEGE,
        M.BLENDED,
        "18 to 24 months",
        ("agile", "accountable", "change-agent"),
        (DM,),
        location="Castlegate College and your workplace",
        accreditation="Level 5 Operations or Departmental Manager apprenticeship, with CMI Level 5",
        eligibility="Managers on grade M2 or M3 with their head of service's support.",
    ),
    # --- secondments ------------------------------------------------------------------------------
    DemoOffering(
        K.SECONDMENT,
        "Secondment to the community health trust",
        "Work for six to twelve months in Kingsmere Community Health NHS Trust, on a joint project or in an "
        "integrated team.",
        "Secondments are advertised as they come up, usually on joint commissioning, hospital discharge and "
        "community services. You keep your council contract and return to your substantive post.",
        PARTNERSHIP,
        M.IN_PERSON,
        "6 to 12 months",
        ("collaborative", "change-agent"),
        (DM, AL),
        location="Kingsmere Community Health NHS Trust buildings",
        eligibility="Managers with their director's agreement. Trust staff can apply for council secondments too.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.SECONDMENT,
        "Acting up and internal secondments",
        "Short-term chances to try a more senior role or work in another service.",
        "When a manager post is vacant or a project needs someone, we offer it first as a development "
        "opportunity. Opportunities are listed on the intranet and are open to anyone meeting the criteria.",
        HR_TEAM,
        M.IN_PERSON,
        "3 to 12 months",
        ("agile", "accountable"),
        (AM, DM),
        location="Across the council",
        eligibility="Staff with their line manager's agreement and a development plan that supports the move.",
    ),
    DemoOffering(
        K.SECONDMENT,
        "Voluntary sector placement",
        "Spend three months with Kingsmere Community Care to see services from the other side of the contract.",
        "Placements are part time, two days a week, working on a project the charity needs. You bring back "
        "insight into how commissioning feels to a provider.",
        "Kingsmere Community Care",
        M.IN_PERSON,
        "3 months, two days a week",
        ("collaborative", "compassionate"),
        (DM,),
        location="Kingsmere Community Care offices, Dockside",
        eligibility="Managers in commissioning, adult social care and children's services.",
        partners_may_book=True,
    ),
    # --- shadowing --------------------------------------------------------------------------------
    DemoOffering(
        K.SHADOWING,
        "Shadow a director",
        "Spend a day with a director to see how decisions are made at the top of the council.",
        "You attend the director's meetings, including the corporate leadership team where possible, and talk "
        "through what you saw at the end of the day.",
        OD_TEAM,
        M.IN_PERSON,
        "1 day",
        ("strategic",),
        (AM, DM),
        location=TOWN_HALL,
        eligibility="Open to all staff, with priority for the future leaders programme.",
    ),
    DemoOffering(
        K.SHADOWING,
        "Shadowing across the partnership",
        "Spend a day or two with a counterpart in another organisation in the health and care partnership.",
        "We pair you with someone doing a similar job in the trust, the charity or the council, and you shadow "
        "each other in turn.",
        PARTNERSHIP,
        M.IN_PERSON,
        "1 to 2 days",
        ("collaborative",),
        (AM, DM, AL),
        location="Partner buildings across Kingsmere",
        eligibility="Staff of any partner organisation.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.SHADOWING,
        "Observe a council meeting",
        "Watch a cabinet or scrutiny meeting with a democratic services officer to explain what is happening.",
        "A briefing before the meeting, the meeting itself, and a conversation afterwards about how the "
        "decision was reached and what happens next.",
        "Kingsmere Democratic Services",
        M.IN_PERSON,
        "An evening",
        ("strategic", "accountable"),
        (AM, DM),
        location=TOWN_HALL,
        eligibility="Open to all staff.",
    ),
    # --- peer support -----------------------------------------------------------------------------
    DemoOffering(
        K.PEER_SUPPORT,
        "New managers' network",
        "A monthly lunchtime meeting for managers in their first two years, with a short talk and time to talk.",
        "Each meeting has a guest from a corporate service answering questions, then open discussion. Run by "
        "and for new managers, supported by the learning and development team.",
        LD_TEAM,
        M.ONLINE,
        "Monthly, 1 hour",
        ("collaborative", "compassionate"),
        (CM,),
        location=TEAMS,
        eligibility="Managers in their first two years.",
    ),
    DemoOffering(
        K.PEER_SUPPORT,
        "Heads of service support and challenge group",
        "Heads of service meet quarterly to share problems and challenge each other's plans.",
        "A confidential group of peers, facilitated by the organisational development team, where heads of "
        "service test ideas and hold each other to what they said they would do.",
        OD_TEAM,
        M.IN_PERSON,
        "Quarterly, half a day",
        ("collaborative", "strategic", "accountable"),
        (AL,),
        location=TOWN_HALL,
        eligibility="Heads of service.",
    ),
    DemoOffering(
        K.PEER_SUPPORT,
        "Women in leadership network",
        "A network across the partnership for women who lead or want to, with talks, peer groups and a mentoring "
        "circle.",
        "Meets every two months, alternating between speakers and small peer groups. Members can join a "
        "mentoring circle run with the health trust.",
        PARTNERSHIP,
        M.BLENDED,
        "Every two months",
        ("compassionate", "collaborative"),
        (AM, DM, AL),
        location="Alternates between Kingsmere Town Hall and online",
        eligibility="Open to all staff of partner organisations.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.PEER_SUPPORT,
        "Staff networks' leadership circle",
        "Peer support for members of the council's staff networks who are working towards management roles.",
        "Run by the race equality, disability and LGBT+ staff networks together. Members share experience of "
        "applying for promotion and invite senior leaders to listen.",
        "Kingsmere staff networks",
        M.ONLINE,
        "Every six weeks",
        ("collaborative", "compassionate"),
        (AM,),
        location=TEAMS,
        eligibility="Members of any of the council's staff networks.",
    ),
    # --- reading and tools ------------------------------------------------------------------------
    DemoOffering(
        K.READING,
        "Manager's toolkit",
        "Everything a manager at the council needs in one place: policies, templates, guides and who to ask.",
        "Kept up to date by HR and learning and development. Includes checklists for starters and leavers, "
        "template letters and short guides to each policy.",
        LD_TEAM,
        M.SELF_PACED,
        "Use as needed",
        ("accountable", "agile"),
        (CM,),
        location="Intranet",
        eligibility="Open to all staff.",
    ),
    DemoOffering(
        K.READING,
        "Reading list: leading in local government",
        "Books, articles and podcasts chosen by the council's senior leaders, with a line on why each is worth "
        "your time.",
        "Updated twice a year. Covers leadership in the public sector, working with politicians, place-based "
        "working and leading change.",
        OD_TEAM,
        M.SELF_PACED,
        "Use as needed",
        ("strategic", "change-agent"),
        (AL, SL),
        location="Intranet",
        eligibility="Open to all staff.",
        partners_may_book=True,
    ),
    DemoOffering(
        K.READING,
        "Team profiling tool and guide",
        "A questionnaire and guide to help your team understand its working styles and how to use them.",
        "Each team member completes a short questionnaire. The guide helps you run a team session on the "
        "results, with exercises on communication and sharing out work.",
        OD_TEAM,
        M.SELF_PACED,
        "2 hours, then a team session",
        ("collaborative", "compassionate"),
        (DM,),
        location="Online",
        eligibility="Managers of teams of four or more.",
    ),
    DemoOffering(
        K.READING,
        "Budget monitoring guide",
        "A step-by-step guide to the monthly budget monitoring report, with worked examples.",
        "Explains each column of the report, common reasons for variances, and how to write a forecast "
        "commentary that finance and your director can rely on.",
        "Kingsmere Finance business partners",
        M.SELF_PACED,
        "Use as needed",
        ("accountable",),
        (CM,),
        location="Intranet",
        eligibility="Budget holders.",
    ),
    # --- still being planned ----------------------------------------------------------------------
    DemoOffering(
        K.COURSE,
        "Commercial skills for service managers",
        "Understanding costs, income and contracts so you can get the best value for residents.",
        "Being designed with procurement and finance. Will cover unit costs, charging, contract management and "
        "spotting chances to generate income.",
        "Kingsmere Procurement and Finance",
        M.BLENDED,
        "2 days",
        ("commercial", "innovative"),
        (DM, AL),
        location=TOWN_HALL,
        eligibility="Managers who commission, charge for or contract for services.",
        status=Offering.Status.DRAFT,
    ),
    # --- councillors (the political framework) ----------------------------------------------------
    DemoOffering(
        K.PROGRAMME,
        "Induction for new councillors",
        "A programme for councillors in their first year: how the council works and what is expected of you.",
        "Evening sessions on the constitution, the code of conduct, casework, finance and scrutiny, plus a "
        "tour of services with the officers who run them.",
        MEMBER_DEVELOPMENT,
        M.BLENDED,
        "8 evening sessions over the first 6 months",
        ("community-leadership", "ethical-conduct", "scrutiny-and-challenge"),
        (NEW,),
        location=TOWN_HALL,
        eligibility="Newly elected councillors. Returning councillors are welcome at any session.",
        framework="political",
    ),
    DemoOffering(
        K.COURSE,
        "Chairing meetings for councillors",
        "Chairing committee and public meetings fairly, keeping to time and the rules.",
        "Practical session with a senior chair and the monitoring officer, using role play of a difficult "
        "planning committee.",
        MEMBER_DEVELOPMENT,
        M.IN_PERSON,
        "1 evening",
        ("scrutiny-and-challenge", "partnership-working"),
        (ESTABLISHED,),
        location=TOWN_HALL,
        eligibility="Councillors who chair or vice-chair a committee.",
        framework="political",
    ),
    DemoOffering(
        K.COURSE,
        "Effective scrutiny",
        "Asking the right questions of cabinet members and partners, and turning findings into recommendations.",
        "Covers planning a scrutiny review, questioning techniques, using evidence and writing recommendations "
        "that are taken up.",
        MEMBER_DEVELOPMENT,
        M.ONLINE,
        "2 evenings",
        ("scrutiny-and-challenge",),
        (NEW, ESTABLISHED),
        location=TEAMS,
        eligibility="All councillors, and expected of scrutiny committee members.",
        framework="political",
    ),
    DemoOffering(
        K.PROGRAMME,
        "Leadership development for cabinet members",
        "Support for cabinet members and group leaders on setting direction and working with the top team.",
        "Four sessions over a year with an experienced former council leader, covering portfolio leadership, "
        "working with directors and leading in the wider partnership.",
        MEMBER_DEVELOPMENT,
        M.IN_PERSON,
        "4 sessions over 12 months",
        ("political-direction", "partnership-working"),
        (CABINET,),
        location=TOWN_HALL,
        eligibility="Cabinet members and political group leaders.",
        framework="political",
    ),
    DemoOffering(
        K.MENTORING,
        "Councillor mentoring",
        "An experienced councillor from another party mentors you through your first year.",
        "Mentors are paired across parties on purpose, to focus on the role of councillor rather than politics.",
        MEMBER_DEVELOPMENT,
        M.BLENDED,
        "12 months",
        ("community-leadership", "ethical-conduct"),
        (NEW,),
        location="Agreed between mentor and mentee",
        eligibility="Councillors in their first term.",
        framework="political",
    ),
    DemoOffering(
        K.E_LEARNING,
        "Social media for councillors",
        "Using social media to keep in touch with residents while staying within the code of conduct.",
        "Short modules on engaging residents online, handling abuse, data protection and what the code of "
        "conduct means for your posts.",
        MEMBER_DEVELOPMENT,
        M.SELF_PACED,
        "1 hour",
        ("community-leadership", "ethical-conduct"),
        (NEW, ESTABLISHED),
        location=ANYWHERE,
        eligibility="All councillors.",
        framework="political",
    ),
)


def demo_catalogue_load() -> int:
    """Write the demo borough's catalogue once, after its frameworks, in one transaction and a few
    bulk statements. Returns how many offerings were written: 0 when there is no borough or its
    frameworks are not there yet, or when it has a catalogue already (including one written at the
    same moment by another `cadre demo`)."""
    borough = Organisation.objects.filter(slug=data.BOROUGH.slug).first()
    if borough is None or Offering.objects.filter(organisation=borough).exists():
        return 0
    frameworks = {f.slug: f for f in Framework.objects.filter(owner_organisation=borough)}
    if not all(o.framework in frameworks for o in OFFERINGS):
        return 0
    _check(frameworks)
    try:
        with transaction.atomic(durable=True):
            if Offering.objects.filter(organisation=borough).exists():
                return 0
            _write(borough, frameworks)
    except IntegrityError:  # another load wrote the same titles first
        if Offering.objects.filter(organisation=borough).exists():
            return 0
        raise
    return len(OFFERINGS)


def _check(frameworks: dict[str, Framework]) -> None:
    """The rules `offering_save` applies to one offering, applied to all of them with one query per
    framework: a mistake in the records above is a programming error, caught by the tests."""
    keys = {}
    for slug, framework in frameworks.items():
        version = (
            framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED)
            .prefetch_related("attributes", "tiers")
            .first()
        )
        keys[slug] = (
            {a.key for a in version.attributes.all()} if version else set(),
            {t.key for t in version.tiers.all()} if version else set(),
        )
    titles = [o.title.lower() for o in OFFERINGS]
    if len(set(titles)) != len(titles):
        raise ValueError("Two demo offerings share a title.")
    for offering in OFFERINGS:
        attributes, tiers = keys[offering.framework]
        if not offering.attributes or not offering.tiers:
            raise ValueError(f"The demo offering {offering.title!r} needs an attribute and a tier.")
        if set(offering.attributes) - attributes or set(offering.tiers) - tiers:
            raise ValueError(f"The demo offering {offering.title!r} is tagged with keys its framework lacks.")
        if offering.kind not in Offering.Kind.values or offering.mode not in Offering.Mode.values:
            raise ValueError(f"The demo offering {offering.title!r} has an unknown kind or mode.")


def _write(borough: Organisation, frameworks: dict[str, Framework]) -> None:
    now = timezone.now()
    created = Offering.objects.bulk_create(
        Offering(
            organisation=borough,
            kind=o.kind,
            title=o.title,
            summary=o.summary,
            description=o.description,
            provider=o.provider,
            mode=o.mode,
            location=o.location,
            duration=o.duration,
            cost=None if o.cost is None else Decimal(o.cost),
            accreditation=o.accreditation,
            eligibility=o.eligibility,
            partners_may_book=o.partners_may_book,
            framework=frameworks[o.framework],
            status=o.status,
            created_at=now,
            updated_at=now,
        )
        for o in OFFERINGS
    )
    OfferingAttribute.objects.bulk_create(
        OfferingAttribute(offering=row, key=key)
        for row, o in zip(created, OFFERINGS, strict=True)
        for key in o.attributes
    )
    OfferingTier.objects.bulk_create(
        OfferingTier(offering=row, key=key) for row, o in zip(created, OFFERINGS, strict=True) for key in o.tiers
    )
    index_offerings(created)  # the search index, kept in step as `offering_save` keeps it
