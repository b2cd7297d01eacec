import Testing
@testable import LifeboatServer
