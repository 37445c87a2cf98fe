"""Document intelligence: the taxonomy (types, tags, custom fields, matching rules),
classification by the configured provider with the shared local model as fallback, the
review queue whose decisions train that model, and the AI provider settings."""

from dokvault.services.intelligence import (
    ai_settings,
    classification,
    corrections,
    local_model,
    review,
    taxonomy,
    taxonomy_admin,
    taxonomy_apply,
    taxonomy_overview,
    taxonomy_rules,
)

__all__ = ["ai_settings", "classification", "corrections", "local_model", "review", "taxonomy",
           "taxonomy_admin", "taxonomy_apply", "taxonomy_overview", "taxonomy_rules"]
