"""A 15-inject MSEL for an airline IT outage, as a comms team would write it in the HSEEP/CISA
template: a title block above the header, clock times, prose expected actions, and one
column of the team's own (Facilitator Guidance) that no importer knows."""

from __future__ import annotations

import io

TITLE = "Volta Air Operations Outage Tabletop Exercise (TTX)"
UNKNOWN = "Facilitator Guidance"
HEADER = [
    "Event #",
    "Inject #",
    "Scenario Time",
    "Event Type",
    "Responsible Controller",
    "From",
    "To",
    "Inject Description",
    "Expected Player Action",
    "Objective/Capability",
    UNKNOWN,
]
PIO = "Public Information and Warning"
FACTS = "Situational Assessment"
STAFF = "Internal Communications"

INJECTS = [
    [
        1,
        "1.1",
        "08:03",
        "Tweet",
        "Camille",
        "Stranded passenger",
        "Social media team",
        "Third hour at gate B22 in Lyon and still not a word from @VoltaAir. Screens say "
        "'delayed', staff say nothing. Two kids, no food vouchers. Anyone know what's going on?",
        "Acknowledge publicly within 15 minutes and escalate to the duty comms manager",
        PIO,
        "First weak signal: note how long the team takes to notice it.",
    ],
    [
        1,
        "1.2",
        "08:06",
        "Tweet",
        "Camille",
        "Aviation blogger",
        "Social media team",
        "Hearing from several airports that Volta Air check-in is down across the network. "
        "Manual check-in in Nantes, nothing moving in Lyon. This is an outage, not the weather.",
        "Monitor; check the facts with operations before replying",
        FACTS,
        "",
    ],
    [
        1,
        "1.3",
        "08:10",
        "Email",
        "Hugo",
        "Operations Control Centre",
        "Crisis cell",
        "OCC update 08:10: the departure control system has been down since 07:12. All "
        "departures held. IT vendor engaged, no restoration time yet. Do not give an ETA.",
        "Escalate to the communications director and prepare a holding statement",
        FACTS,
        "Hand it to the crisis cell lead only.",
    ],
    [
        2,
        "2.1",
        "08:14",
        "Phone call",
        "Hugo",
        "Regional press reporter",
        "Press office",
        "Reporter from the regional daily: she has photos of the queues in Lyon and a source "
        "saying it is a cyberattack. Can Volta Air confirm or deny within 20 minutes?",
        "Do not speculate; issue a holding statement and log the call",
        PIO,
        "If pressed, the reporter says she will publish at 08:40 either way.",
    ],
    [
        2,
        "2.2",
        "08:18",
        "Facebook comment",
        "Camille",
        "Gold frequent flyer",
        "Community manager",
        "Gold member for eight years. Your app says my flight is on time, the gate says "
        "cancelled, and your hotline hangs up after 40 minutes. Which one is lying?",
        "Reply with empathy and point to one source of truth",
        PIO,
        "",
    ],
    [
        2,
        "2.3",
        "08:22",
        "Tweet",
        "Camille",
        "Travel influencer",
        "Social media team",
        "Stuck with 300 others at Nice airport. @VoltaAir crew are doing their best but clearly "
        "have zero information. Thread on how a 'small IT issue' grounded an entire airline:",
        "Reply with empathy and point to the status page",
        PIO,
        "",
    ],
    [
        2,
        "2.4",
        "08:26",
        "Internal chat",
        "Inès",
        "Cabin crew union rep",
        "HR director",
        "Passengers are telling our crews we are 'hiding a hack'. We have nothing to tell them. "
        "If nobody briefs us in the next half hour, people will start posting.",
        "Send an internal memo to all staff",
        STAFF,
        "Skip it if the team has already briefed staff.",
    ],
    [
        3,
        "3.1",
        "08:30",
        "News article",
        "Hugo",
        "National news site",
        "All players",
        "Volta Air grounds all flights after IT failure; thousands stranded on the first day of "
        "the school holidays.",
        "Monitor; correct factual errors only",
        FACTS,
        "",
    ],
    [
        3,
        "3.2",
        "08:34",
        "Forum post",
        "Camille",
        "Frequent flyer forum member",
        "Social media team",
        "Volta Air meltdown: EU261 compensation thread. Here is my template letter. They owe "
        "250 to 600 euros per passenger and they know it.",
        "Do not respond; monitor",
        FACTS,
        "",
    ],
    [
        3,
        "3.3",
        "08:38",
        "Tweet",
        "Camille",
        "Rival airline",
        "Social media team",
        "To everyone stuck in Lyon and Nice this morning: our 11:40 and 12:15 flights to Paris "
        "still have seats. We are here for you.",
        "Do not respond",
        PIO,
        "Bait: watch whether the team takes a swipe back.",
    ],
    [
        3,
        "3.4",
        "08:42",
        "Phone call",
        "Inès",
        "Civil aviation authority",
        "Communications director",
        "The authority's duty officer wants a written situation update by 09:30 and asks what "
        "passengers are being told about care, meals and rebooking.",
        "Escalate to the chief executive's office",
        FACTS,
        "",
    ],
    [
        3,
        "3.5",
        "08:46",
        "Tweet",
        "Camille",
        "Angry passenger",
        "Social media team",
        "@VoltaAir just deleted my comment on your Facebook page. Screenshot attached. So that's "
        "the crisis plan? Censor the people you stranded?",
        "Reply publicly and own it; do not delete anything else",
        PIO,
        "Only if the team hid or deleted a comment; otherwise hold it.",
    ],
    [
        4,
        "4.1",
        "08:50",
        "Email",
        "Hugo",
        "IT vendor",
        "Crisis cell",
        "Root cause found: a failed database update at our data centre, not a cyberattack. "
        "Systems return from 09:15; first departures expected around 10:00.",
        "Update the holding statement with the restoration time",
        FACTS,
        "",
    ],
    [
        4,
        "4.2",
        "08:54",
        "News article",
        "Hugo",
        "Business daily",
        "All players",
        "Volta Air outage: second major IT failure in 18 months raises questions about "
        "investment in the airline's systems.",
        "Escalate to the communications director with key messages for the CEO",
        PIO,
        "",
    ],
    [
        4,
        "4.3",
        "08:58",
        "Facebook comment",
        "Camille",
        "Stranded passenger",
        "Community manager",
        "Finally boarding in Lyon. Credit to the ground staff at B22 who handed out water and "
        "kept us informed when nobody else did. Head office, take notes.",
        "Reply publicly and thank the ground team",
        STAFF,
        "",
    ],
]


def airline_msel_xlsx() -> bytes:
    """The workbook: a title block, a blank row, the header on row 5, then the injects."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "MSEL"
    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:H1")
    sheet.append(["Exercise date:", "2026-12-08", None, "Exercise director:", "S. Marchal"])
    sheet.append(["Start time:", "08:00"])
    sheet.append([])
    sheet.append(HEADER)
    for row in INJECTS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
