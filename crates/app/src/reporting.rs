//! The board's follow-up and the needs analysis read every patient with a referral or
//! a plan, without identities, on the basis of statistics; each reading is logged.

use trappa_policy::AccessBasis;
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::reporting::ReportPatient;

use crate::{Caller, Result};

/// Every patient with a referral or a plan, read for `resource` (`detail`: the period
/// asked for, if any) and logged as one entry that counts them.
pub async fn patients(
    store: &Store,
    caller: &Caller,
    resource: &str,
    detail: Option<String>,
) -> Result<Vec<ReportPatient>> {
    let log = NewEntry::new(&caller.actor, Action::Listed, resource)
        .basis(AccessBasis::Statistics)
        .detail_opt(detail);
    Ok(store.report_patients(&log).await?)
}
