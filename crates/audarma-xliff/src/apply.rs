//! Making a plan's edits through the store: the one step of an import that writes.

use crate::{Conflict, Plan, RefusedUnit};
use audarma_core::Finding;
use audarma_store::{Store, StoreError};
use serde::Serialize;

/// What importing one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub job: i64,
    /// Segments edited, with their new versions.
    pub edited: Vec<(u32, i64)>,
    pub unchanged: usize,
    /// Segments changed in audarma since the export (found when planning, or by the store when
    /// another edit came in between): not overwritten.
    pub conflicts: Vec<Conflict>,
    pub refused: Vec<RefusedUnit>,
}

impl Imported {
    /// Whether anything of the file was not imported.
    pub fn has_problems(&self) -> bool {
        !self.conflicts.is_empty() || !self.refused.is_empty()
    }
}

/// Makes the edits of `plan`, in order, each with its findings (`findings[i]` for `plan.edits[i]`),
/// logged under `actor`. A segment that changed after planning is a conflict, not an error.
pub async fn apply(
    store: &dyn Store,
    plan: &Plan,
    findings: &[Vec<Finding>],
    actor: &str,
) -> Result<Imported, StoreError> {
    let mut done = Imported {
        job: plan.job,
        unchanged: plan.unchanged.len(),
        conflicts: plan.conflicts.clone(),
        refused: plan.refused.clone(),
        ..Imported::default()
    };
    for (i, edit) in plan.edits.iter().enumerate() {
        let f = findings.get(i).map(Vec::as_slice).unwrap_or_default();
        match store.edit_segment(plan.job, edit.segment, &edit.text, f, Some(edit.expected_version), actor).await {
            Ok(version) => done.edited.push((edit.segment, version)),
            Err(StoreError::Conflict { current, .. }) => done.conflicts.push(Conflict {
                segment: edit.segment,
                exported_version: edit.expected_version,
                current_version: current,
            }),
            Err(e) => return Err(e),
        }
    }
    done.conflicts.sort_by_key(|c| c.segment);
    Ok(done)
}
