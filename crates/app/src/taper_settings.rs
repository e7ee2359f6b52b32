//! A unit's taper settings: which products it uses, its default tables and rules, and
//! how the engine adapts a plan to the scores. Every change is a new version with its
//! author and reason; plans made before keep the data they were made with.

use trappa_store::Store;
use trappa_taper::reference::UnitSettings;

use crate::text::V;
use crate::{Caller, Error, Fault, Faults, MAX_REASON, Result};

/// Saves the caller's unit's settings on top of version `expected` (0: the first).
/// Returns the new version. Faults name `reason`.
pub async fn save(
    store: &Store,
    caller: &Caller,
    expected: i64,
    settings: &UnitSettings,
    reason: &str,
) -> Result<i64> {
    let unit = caller
        .unit_id
        .ok_or_else(|| Error::field("reason", &V::REF_ERR_NO_UNIT))?;
    let mut faults = Faults::default();
    if trappa_input::text::is_blank(reason) {
        faults.push(Fault::new("reason", &V::REF_ERR_REASON));
    } else {
        faults.text("reason", reason, false, MAX_REASON);
    }
    faults.finish(())?;
    let json = serde_json::to_string(settings)?;
    Ok(store
        .save_taper_settings(unit, expected, &json, caller.account_id, reason.trim())
        .await?)
}
