"""Where each rule comes from.

Every dosing number in the package names a key of :data:`SOURCES`; results carry those keys so the
site can show, and link, the source of each number. Keys are stable: pages and tests cite them.
The three seed documents and the label facts in ``shared/reference/clinical-facts.md`` are the
only sources; nothing else may be cited.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "SOURCES"]


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    short: str
    citation: str


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source("cmvig-monograph", "CMV Ig monograph",
               "Cytomegalovirus Immunoglobulin (CMV Ig) drug monograph (dosage, adverse effects, "
               "precautions)."),
        Source("schulz-2016", "Schulz et al. 2016",
               "Schulz U, Solidoro P, Müller V, et al. CMV immunoglobulins for the treatment of "
               "CMV infections in thoracic transplant recipients. Transplantation "
               "2016;100:S5-S10."),
        Source("zhang-2021", "Zhang et al. 2021",
               "Zhang P, Yang D, Tian J, et al. A clinical study of lyophilized intravenous human "
               "immunoglobulin containing high-titer cytomegalovirus-neutralizing antibody for the "
               "treatment of cytomegalovirus viremia after allogeneic hematopoietic stem cell "
               "transplantation. Ann Palliat Med 2021;10(5):5533-5540. doi:10.21037/apm-21-1069"),
        Source("cytogam-label", "CytoGam prescribing information",
               "CytoGam (cytomegalovirus immune globulin intravenous, human) US prescribing "
               "information, Kamada; DailyMed, updated 2023-02-28."),
        Source("cytotect-cp-smpc", "Cytotect CP SmPC",
               "Cytotect CP Biotest, summary of product characteristics (UK electronic medicines "
               "compendium, product 11030, updated 2023-06-02)."),
        Source("hsct-product-filings", "CMV-IVIG (Chengdu Rongsheng) trial filings",
               "Planned presentations of the investigational high-titre CMV-IVIG used by Zhang et "
               "al. 2021 (never marketed; no labelled dose)."),
        Source("ganciclovir-label", "Ganciclovir (Cytovene-IV) prescribing information",
               "Ganciclovir (Cytovene-IV) US prescribing information, renal impairment dosing "
               "table, as reproduced by hospital antimicrobial guides."),
        Source("valganciclovir-label", "Valganciclovir (Valcyte) prescribing information",
               "Valganciclovir (Valcyte) US prescribing information, Table 2 (renal impairment)."),
        Source("cockcroft-gault-1976", "Cockcroft & Gault 1976",
               "Cockcroft & Gault, Nephron 1976;16:31-41 (creatinine clearance formula; also in "
               "the valganciclovir label)."),
        Source("nba-ig-dosing", "National Blood Authority (Australia) immunoglobulin dosing",
               "Australian National Blood Authority, immunoglobulin dose calculator guidance "
               "(Devine ideal body weight; adjusted body weight)."),
        Source("hopa-rounding", "HOPA dose-rounding position statement",
               "HOPA position statement on rounding biologic and cytotoxic doses to the nearest "
               "vial, Fahrenbruch et al., J Oncol Pract 2018 (endorsed by NCCN)."),
        Source("fryer-2016", "Fryer et al. 2016",
               "Fryer et al., Biologicals 2016;44:242-51 (CMV viral load: copies/mL versus IU/mL "
               "depends on the assay)."),
        Source("pound-definition", "International yard and pound agreement",
               "1 lb = 0.45359237 kg exactly (international yard and pound agreement)."),
        Source("institution-config", "This institution's settings",
               "Values set by the hosting institution in site_src/config.yml (custom product)."),
    )
}
