"""French identifiers as their registers issue them: the SIRET of SIRENE (INSEE).

A SIRET is a SIREN (9 digits, the organisation) followed by a NIC (5 digits, the establishment);
SIRENE gives each its Luhn key, except La Poste's establishments (SIREN 356000000), whose digits
add up to a multiple of 5. python-stdnum checks both keys and that exception, as the national
validator does (Validata's `siret` check is `stdnum.fr.siret.is_valid`). The RNA number's form
(`W` and 9 digits) is checked by the association schema.
"""

from __future__ import annotations

import re

from stdnum.fr import siren, siret

_FOURTEEN_DIGITS = re.compile(r"[0-9]{14}")
_WHERE = "recopiez-le depuis annuaire-entreprises.data.gouv.fr"


def siret_problem(value: str) -> str | None:
    """None when SIRENE could have issued `value`, else what is wrong with it, in French."""
    if not _FOURTEEN_DIGITS.fullmatch(value):
        return f"SIRET « {value} » : 14 chiffres attendus, par exemple 73282932000074"
    if not siren.is_valid(value[:9]):
        return (f"SIRET {value} invalide : la clé du SIREN {value[:9]} (ses 9 premiers chiffres) est "
                f"fausse, SIRENE n'a pas pu l'attribuer ; {_WHERE}")
    if not siret.is_valid(value):
        return (f"SIRET {value} invalide : sa clé de contrôle (14 chiffres) est fausse, SIRENE n'a pas "
                f"pu l'attribuer ; {_WHERE}")
    return None
